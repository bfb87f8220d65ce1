import pg from "pg";
import type { Tx } from "./prisma";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { clearKeyCache, evictKey, evictTenant } from "../api-keys/key-cache";
import { clearTenantCounts, evictTenantCounts } from "../api-keys/tenant-counts";
import { logError } from "../log";

/**
 * Cross-instance cache invalidation on PostgreSQL. A mutation publishes the changed key (or
 * tenant) with pg_notify inside its transaction, so the notification is sent if and only if
 * the change commits; every instance LISTENs and evicts it from its verified-key cache within
 * milliseconds. If the listening connection drops, notifications may be lost: the listener
 * clears the whole cache when it reconnects, and the cache's TTL bounds staleness meanwhile.
 * SQLite has no such channel: there, other processes rely on the TTL alone.
 */
export const KEY_CHANGE_CHANNEL = "keyward_key_changes";

// The tenant always comes along, for the tenant's list counts (lib/api-keys/tenant-counts.ts).
// A new key changes only those counts (no verified key is affected): countsOnly.
export type KeyChange = { keyId: string; tenantId: string } | { tenantId: string; countsOnly?: true };

export async function publishKeyChange(tx: Tx, change: KeyChange): Promise<void> {
  if (databaseProvider() !== "postgresql") return;
  await tx.$queryRaw`SELECT 1 AS sent FROM (SELECT pg_notify(${KEY_CHANGE_CHANNEL}, ${JSON.stringify(change)})) AS n`;
}

type ListenerState = { client: pg.Client | null; starting: boolean; retryMs: number };
const globalForBus = globalThis as unknown as { keywardKeyChangeListener?: ListenerState };
const state = (globalForBus.keywardKeyChangeListener ??= { client: null, starting: false, retryMs: 500 });

function apply(payload: string | undefined) {
  try {
    const change = JSON.parse(payload ?? "") as Partial<{ keyId: string; tenantId: string; countsOnly: boolean }>;
    const tenantId = typeof change.tenantId === "string" ? change.tenantId : null;
    if (typeof change.keyId === "string") evictKey(change.keyId);
    else if (tenantId) {
      // A new key (countsOnly) changes no verified key.
      if (change.countsOnly !== true) evictTenant(tenantId);
    } else clearKeyCache();
    if (tenantId) evictTenantCounts(tenantId);
    else clearTenantCounts();
  } catch {
    clearKeyCache();
    clearTenantCounts();
  }
}

async function connect() {
  const client = new pg.Client({ connectionString: resolveDatabaseUrl() });
  client.on("notification", (message) => apply(message.payload));
  client.on("error", (error) => {
    logError("key change listener lost its connection; reconnecting", error);
    client.end().catch(() => {});
    if (state.client === client) state.client = null;
    scheduleReconnect();
  });
  await client.connect();
  await client.query(`LISTEN ${KEY_CHANGE_CHANNEL}`);
  // Whatever changed while no connection listened is unknown: start from empty caches.
  clearKeyCache();
  clearTenantCounts();
  state.client = client;
  state.retryMs = 500;
}

function scheduleReconnect() {
  const delay = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, 10_000);
  setTimeout(() => void ensureKeyChangeListener(), delay).unref();
}

/** Starts this instance's listener once (PostgreSQL only); safe to call on every request. */
export async function ensureKeyChangeListener(): Promise<void> {
  if (databaseProvider() !== "postgresql" || state.client || state.starting) return;
  state.starting = true;
  try {
    await connect();
  } catch (error) {
    logError("key change listener could not connect; retrying", error);
    scheduleReconnect();
  } finally {
    state.starting = false;
  }
}

/** Whether verified keys may be served from this instance's cache right now. */
export function cacheTrustworthy(): boolean {
  return databaseProvider() !== "postgresql" || state.client !== null;
}
