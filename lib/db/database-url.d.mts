export declare const DEFAULT_DATABASE_URL: string;
export declare function resolveDatabaseUrl(url?: string, base?: string): string;
export declare function sqliteFilePath(url?: string): string | null;
export declare function databaseProvider(url?: string): "sqlite" | "postgresql";
