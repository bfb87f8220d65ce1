import "server-only";
import { createPrismaClient, type Db } from "./prisma";

export type { Db, Tx } from "./prisma";

// One client per server process; kept on globalThis so that dev-mode reloads reuse it.
const globalForDb = globalThis as unknown as { keywardDb?: Db };

export const db: Db = globalForDb.keywardDb ?? createPrismaClient();
globalForDb.keywardDb = db;
