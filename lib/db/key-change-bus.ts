import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { Tx } from "./prisma";
import { databaseProvider, resolveDatabaseUrl } from "./database-url";
import { increment } from "../metrics";
import { logError } from "../log";

/**
 * Cross-instance cache invalidation on PostgreSQL. A mutation publishes the changed key (or
 * tenant) with pg_notify inside its transaction, so the notification is sent if and only if
 * the change commits; every instance LISTENs and evicts it from its verified-key cache within
 * milliseconds. If the listening connection drops or hangs (see the heartbeat below), the
 * cache is not used until a new connection listens, which starts from an empty cache.
 * SQLite has no such channel: there, other processes rely on the TTL alone.
 *
 * The bus knows no cache: the domain's caches subscribe (lib/api-keys/key-cache.ts), and the
 * listener is started when the server starts (instrumentation.ts), so an instance that has not
 * verified a key yet hears changes as well.
 */
export const KEY_CHANGE_CHANNEL = "keyward_key_changes";
/** pg_stat_activity.application_name of the listening connection (operators, and the tests). */
export const LISTENER_APPLICATION_NAME = "keyward-key-change-listener";

/** One key changed, or (no keyId) any key of the tenant may have. */
export type KeyChange = { keyId?: string; tenantId: string };
/** A change another instance made, or null: anything may have changed (the caches start over). */
export type KeyChangeHandler = (change: KeyChange | null) => void;

// On globalThis, like the listener: Next.js's bundles and dist/server each have their own copy
// of this module, and one listener serves the handlers registered through any of them.
const globalForHandlers = globalThis as unknown as { keywardKeyChangeHandlers?: Map<string, KeyChangeHandler> };
const handlers = (globalForHandlers.keywardKeyChangeHandlers ??= new Map());

/** Registers `handler` under `name` (a later registration under the same name replaces it). */
export function subscribeKeyChanges(name: string, handler: KeyChangeHandler): void {
  handlers.set(name, handler);
}

function deliver(change: KeyChange | null) {
  for (const handler of handlers.values()) {
    try {
      handler(change);
    } catch (error) {
      logError("key change handler failed", error);
    }
  }
}

/** Tells every instance about `change` once `tx` commits (PostgreSQL; nothing on SQLite). */
export async function publishKeyChange(tx: Tx, change: KeyChange): Promise<void> {
  if (databaseProvider() !== "postgresql") return;
  await tx.$queryRaw`SELECT 1 AS sent FROM (SELECT pg_notify(${KEY_CHANGE_CHANNEL}, ${JSON.stringify(change)})) AS n`;
}

// The listener proves it still hears the database: every HEARTBEAT_MS it NOTIFYs itself on a
// channel of its own, over its own connection. PostgreSQL delivers notifications in commit
// order, so when a heartbeat sent at time T arrives, every change committed before T has been
// delivered (and applied) too. The cache is trusted only while the last heartbeat that came
// back was sent less than TRUST_MS ago: a connection that hangs without closing (a paused
// backend, a black-holed network) stops the cache within TRUST_MS, and after HUNG_MS without
// an answer the connection is dropped and a new one made (which starts from empty caches).
const HEARTBEAT_MS = 500;
const TRUST_MS = 1_000;
const HUNG_MS = 5_000;

type Heartbeat = { channel: string; seq: number; sent: Map<number, number>; confirmedSentAt: number; timer: NodeJS.Timeout | null };
type ListenerState = { client: pg.Client | null; starting: boolean; retryMs: number; heartbeat: Heartbeat | null };
const globalForBus = globalThis as unknown as { keywardKeyChangeListener?: ListenerState };
const state = (globalForBus.keywardKeyChangeListener ??= { client: null, starting: false, retryMs: 500, heartbeat: null });

function parse(payload: string | undefined): KeyChange | null {
  try {
    const change = JSON.parse(payload ?? "") as Partial<KeyChange>;
    if (typeof change.tenantId !== "string") return null;
    return typeof change.keyId === "string" ? { keyId: change.keyId, tenantId: change.tenantId } : { tenantId: change.tenantId };
  } catch {
    return null;
  }
}

/** Forgets a connection that failed or hung; the next one starts from empty caches. */
function drop(client: pg.Client, reason: string, error?: unknown) {
  if (state.client !== client) return;
  logError(`key change listener ${reason}; reconnecting`, error ?? new Error(reason));
  state.client = null;
  if (state.heartbeat?.timer) clearInterval(state.heartbeat.timer);
  state.heartbeat = null;
  client.removeAllListeners("notification");
  client.on("error", () => {});
  // Not awaited: a hung backend may never answer the goodbye.
  client.end().catch(() => {});
  scheduleReconnect();
}

function beat(client: pg.Client, heartbeat: Heartbeat) {
  if (state.client !== client) return;
  const now = Date.now();
  const oldest = Math.min(...heartbeat.sent.values());
  if (heartbeat.sent.size > 0 && now - oldest > HUNG_MS) return drop(client, `heard no heartbeat for ${now - oldest} ms`);
  // One heartbeat in flight at a time: a hung connection must not pile up queries.
  if (heartbeat.sent.size > 0) return;
  const seq = ++heartbeat.seq;
  heartbeat.sent.set(seq, now);
  client.query("SELECT pg_notify($1, $2)", [heartbeat.channel, String(seq)]).catch(() => {});
}

async function connect() {
  // Loaded here, not at import: only PostgreSQL needs it (a verifier on SQLite saves its memory).
  const { default: driver } = await import("pg");
  const client = new driver.Client({ connectionString: resolveDatabaseUrl(), application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
  const heartbeat: Heartbeat = { channel: `keyward_heartbeat_${randomBytes(8).toString("hex")}`, seq: 0, sent: new Map(), confirmedSentAt: 0, timer: null };
  client.on("notification", (message) => {
    if (message.channel !== heartbeat.channel) {
      // Counted for /api/metrics: an operator (and tests/postgres/listener-at-start.test.ts) can
      // see that an instance hears other instances.
      increment("key_changes_heard_total");
      return deliver(parse(message.payload));
    }
    const sentAt = heartbeat.sent.get(Number(message.payload));
    if (sentAt === undefined) return;
    heartbeat.sent.delete(Number(message.payload));
    heartbeat.confirmedSentAt = Math.max(heartbeat.confirmedSentAt, sentAt);
  });
  client.on("error", (error) => {
    if (state.client === client) drop(client, "lost its connection", error);
    else client.end().catch(() => {});
  });
  await client.connect();
  await client.query(`LISTEN ${KEY_CHANGE_CHANNEL}`);
  await client.query(`LISTEN ${heartbeat.channel}`);
  // Whatever changed while no connection listened is unknown: start from empty caches.
  deliver(null);
  heartbeat.confirmedSentAt = Date.now();
  heartbeat.timer = setInterval(() => beat(client, heartbeat), HEARTBEAT_MS);
  heartbeat.timer.unref();
  state.client = client;
  state.heartbeat = heartbeat;
  state.retryMs = 500;
}

function scheduleReconnect() {
  const delay = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, 10_000);
  setTimeout(() => void ensureKeyChangeListener(), delay).unref();
}

/**
 * Starts this instance's listener once (PostgreSQL only): at server start (instrumentation.ts),
 * and again from verification, which is safe to call on every request.
 */
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

/**
 * Whether verified keys may be served from this instance's cache right now: on PostgreSQL only
 * while the listener is connected and its last heartbeat came back in time (TRUST_MS).
 */
export function cacheTrustworthy(): boolean {
  if (databaseProvider() !== "postgresql") return true;
  return state.client !== null && state.heartbeat !== null && Date.now() - state.heartbeat.confirmedSentAt < TRUST_MS;
}
