import type { IncomingMessage, ServerResponse } from "node:http";
export declare const RETRY_AFTER_SECONDS: number;
export declare function isPageRequest(req: IncomingMessage): boolean;
export declare function createDatabaseGate(url?: string): {
  available(): Promise<boolean>;
  refuse(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
} | null;
