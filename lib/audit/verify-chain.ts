import Database from "better-sqlite3";
import { databaseProvider, sqliteFilePath } from "@/lib/db/database-url";
import { databaseUrlOf, type Db } from "@/lib/db/prisma";
import { auditHashFor, auditKeys, CHAIN_KEYED, CHAIN_UNKEYED, keyedAuditHash, unkeyedAuditHash } from "./chain";
import { checkpointSignatureValid, type CheckpointRow } from "./checkpoints";

export type ChainHead = { seq: number; hash: string } | null;

export type ChainReport =
  | { ok: true; checked: number; head: ChainHead; checkpoints: number; lastCheckpoint: { seq: number; createdAt: string } | null }
  | {
      ok: false;
      checked: number;
      /** The first event that is missing, altered or not provably authentic. */
      brokenSeq: number;
      /** Its id, when the event exists (not for deleted events). */
      eventId: string | null;
      kind: "missing" | "link" | "content" | "unkeyed" | "checkpoint" | "truncated" | "forged_checkpoint";
      reason: string;
    };

/** What the fast path reads of each event: the hash input comes ready-made from the database. */
type Row = { seq: number; prevHash: string | null; hash: string | null; chainVersion: number; input: string };

const BATCH = 5000;

const HASHED = ["tenantId", "seq", "actorType", "actorUserId", "actorKeyId", "actorLabel", "action", "targetKeyId", "keyPrefix", "scopes", "details", "requestId"];

/**
 * The hash input (auditHashInput's JSON) built by the database itself, so that each event costs
 * one string instead of fourteen: reading the columns one by one into JavaScript was most of the
 * time of a 100,000-event verification (bench:audit-verify). It is only a fast path: an event
 * whose ready-made input does not match its hash is checked again from its columns in JavaScript
 * (slowPathHash), so a database that escapes a character differently costs time, never a false
 * alarm. Any correct JSON encoder gives the same text for the same values, so an input that does
 * match proves the columns hold what was hashed.
 */
export function hashInputSql(provider: "sqlite" | "postgresql"): string {
  const q = (column: string) => `"${column}"`;
  if (provider === "sqlite") {
    // Prisma stores DateTime as '2026-11-23T18:14:40.303+00:00'; the hash has toISOString()'s 'Z'.
    // Any other form (another offset would be another instant) gives null here, so the event
    // takes the slow path, which reads the time as Prisma does.
    const createdAt = `CASE WHEN length("createdAt") = 29 AND substr("createdAt", 24) = '+00:00' THEN substr("createdAt", 1, 23) || 'Z' END`;
    return `json_array(${HASHED.map(q).join(", ")}, ${createdAt}, "prevHash")`;
  }
  // json_build_array puts a space after each comma; JSON.stringify does not.
  const value = (sql: string) => `coalesce(to_json(${sql})::text, 'null')`;
  const parts = [
    ...HASHED.map((c) => (c === "seq" ? `"seq"::text` : value(q(c)))),
    value(`to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
    value(`"prevHash"`),
  ];
  return `'[' || ${parts.join(" || ',' || ")} || ']'`;
}

type EventReader = { batch(afterSeq: number): Promise<Row[]>; close(): void };

function batchSql(provider: "sqlite" | "postgresql") {
  return (
    `SELECT "seq", "prevHash", "hash", "chainVersion", ${hashInputSql(provider)} AS "input" FROM "AuditEvent" ` +
    (provider === "sqlite"
      ? `WHERE "tenantId" = ? AND "seq" > ? ORDER BY "seq" ASC LIMIT ${BATCH}`
      : `WHERE "tenantId" = $1 AND "seq" > $2 ORDER BY "seq" ASC LIMIT ${BATCH}`)
  );
}

/**
 * Batches of events by seq. On SQLite straight from better-sqlite3 on a read-only connection of
 * its own, inside one read transaction (one snapshot of the whole chain): Prisma's result mapping
 * was a fifth of the time (bench:audit-verify). Elsewhere through Prisma's raw query.
 */
function eventReader(db: Db, tenantId: string): EventReader {
  const url = databaseUrlOf(db);
  const file = url ? sqliteFilePath(url) : null;
  if (file) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.exec("BEGIN");
    const statement = sqlite.prepare(batchSql("sqlite"));
    return {
      batch: async (afterSeq) => statement.all(tenantId, afterSeq) as Row[],
      close: () => sqlite.close(),
    };
  }
  const provider = databaseProvider(url);
  // Both drivers give INTEGER columns as numbers (no bigint: seq and chainVersion are 32-bit).
  return { batch: (afterSeq) => db.$queryRawUnsafe<Row[]>(batchSql(provider), tenantId, afterSeq), close: () => {} };
}

/** The event's hash computed from its columns in JavaScript (the definition; see auditHashInput). */
async function slowPathHash(db: Db, tenantId: string, seq: number, version: number, chainKey: Buffer): Promise<string | null> {
  const event = await db.auditEvent.findUnique({ where: { tenantId_seq: { tenantId, seq } } });
  return event ? auditHashFor(version, event, chainKey) : null;
}

async function eventId(db: Db, tenantId: string, seq: number): Promise<string | null> {
  const event = await db.auditEvent.findUnique({ where: { tenantId_seq: { tenantId, seq } }, select: { id: true } });
  return event?.id ?? null;
}

function when(c: { createdAt: Date }) {
  return c.createdAt.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/**
 * Recomputes the tenant's chain in seq order, in batches so that memory stays flat, and checks it
 * against the tenant's signed checkpoints. Reports the first event that is missing, altered, or
 * not provably authentic:
 * - a gap in seq, a broken link, or a hash that does not match the content (a keyed event needs
 *   the chain key, which is not in the database: re-chaining with plain SHA-256 fails here);
 * - an unkeyed (version 1) event after a keyed one, or one that no signed checkpoint covers
 *   (unkeyed hashes anyone can recompute; only a checkpoint made before a rewrite pins them);
 * - an event whose hash differs from a signed checkpoint at its seq (history rewritten);
 * - fewer events than a signed checkpoint counted (the newest events deleted);
 * - a checkpoint whose signature is not this Keyward's (a forged row).
 */
export async function verifyAuditChain(db: Db, tenantId: string): Promise<ChainReport> {
  const reader = eventReader(db, tenantId);
  try {
    return await verifyWith(db, reader, tenantId);
  } finally {
    reader.close();
  }
}

async function verifyWith(db: Db, reader: EventReader, tenantId: string): Promise<ChainReport> {
  const { chainKey } = auditKeys();
  const checkpoints: CheckpointRow[] = await db.auditCheckpoint.findMany({
    where: { tenantId },
    orderBy: { seq: "asc" },
    select: { tenantId: true, seq: true, hash: true, createdAt: true, reason: true, signature: true, keyId: true },
  });
  // Signatures are checked where a checkpoint decides something: when it is the only proof for
  // unkeyed events, and before it is reported as a mismatch or truncation. One that agrees with
  // the keyed chain proves nothing the HMACs do not, and 1,000 Ed25519 checks would be a tenth of
  // a 100,000-event verification.
  const forged = (c: CheckpointRow): ChainReport => ({
    ok: false,
    checked: 0,
    brokenSeq: c.seq,
    eventId: null,
    kind: "forged_checkpoint",
    reason: `the checkpoint at event #${c.seq} is not signed by this Keyward's checkpoint key`,
  });
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const lastCheckpoint = checkpoints.at(-1) ?? null;

  let previousHash: string | null = null;
  let previousVersion = CHAIN_UNKEYED;
  let expectedSeq = 1;
  let checked = 0;
  // The first unkeyed event not yet covered by a matching checkpoint.
  let uncovered: number | null = null;
  for (;;) {
    const events = await reader.batch(expectedSeq - 1);
    for (const event of events) {
      const broken = async (kind: Exclude<ChainReport, { ok: true }>["kind"], reason: string): Promise<ChainReport> => ({
        ok: false,
        checked,
        brokenSeq: event.seq,
        eventId: await eventId(db, tenantId, event.seq),
        kind,
        reason,
      });
      if (event.seq !== expectedSeq) {
        return { ok: false, checked, brokenSeq: expectedSeq, eventId: null, kind: "missing", reason: `event #${expectedSeq} is missing` };
      }
      if (event.prevHash !== previousHash) return broken("link", "it does not link to the previous event");
      if (event.chainVersion === CHAIN_UNKEYED && previousVersion === CHAIN_KEYED) {
        return broken("unkeyed", "it has an unkeyed hash after keyed events: the history from here was rewritten");
      }
      if (event.chainVersion !== CHAIN_UNKEYED && event.chainVersion !== CHAIN_KEYED) {
        return broken("content", `its chain version (${event.chainVersion}) is unknown`);
      }
      const fast = event.chainVersion === CHAIN_KEYED ? keyedAuditHash(event.input, chainKey) : unkeyedAuditHash(event.input);
      if (event.hash !== fast && event.hash !== (await slowPathHash(db, tenantId, event.seq, event.chainVersion, chainKey))) {
        return broken(
          "content",
          event.chainVersion === CHAIN_KEYED
            ? "its content does not match its keyed hash (HMAC)"
            : "its content does not match its hash",
        );
      }
      if (event.chainVersion === CHAIN_UNKEYED && uncovered === null) uncovered = event.seq;
      const checkpoint = bySeq.get(event.seq);
      if (checkpoint) {
        const decides = checkpoint.hash !== event.hash || uncovered !== null;
        if (decides && !checkpointSignatureValid(checkpoint)) return { ...forged(checkpoint), checked };
        if (checkpoint.hash !== event.hash) {
          return broken("checkpoint", `it does not match the signed checkpoint of ${when(checkpoint)}: the history up to here was rewritten`);
        }
        uncovered = null;
      }
      previousHash = event.hash;
      previousVersion = event.chainVersion;
      expectedSeq++;
      checked++;
    }
    if (events.length < BATCH) break;
  }

  const head = checked > 0 ? { seq: checked, hash: previousHash! } : null;
  const beyond = checkpoints.find((c) => c.seq > checked);
  if (beyond) {
    const last = checkpoints.at(-1)!;
    const invalid = checkpoints.filter((c) => c.seq > checked).find((c) => !checkpointSignatureValid(c));
    if (invalid) return { ...forged(invalid), checked };
    return {
      ok: false,
      checked,
      brokenSeq: checked + 1,
      eventId: null,
      kind: "truncated",
      reason: `the log ends at event #${checked}, but the signed checkpoint of ${when(last)} counted ${last.seq} events: the newest events were deleted`,
    };
  }
  if (uncovered !== null) {
    return {
      ok: false,
      checked,
      brokenSeq: uncovered,
      eventId: await eventId(db, tenantId, uncovered),
      kind: "unkeyed",
      reason: "it has an unkeyed hash and no signed checkpoint covers it, so it could have been rewritten",
    };
  }
  return {
    ok: true,
    checked,
    head,
    checkpoints: checkpoints.length,
    lastCheckpoint: lastCheckpoint ? { seq: lastCheckpoint.seq, createdAt: lastCheckpoint.createdAt.toISOString() } : null,
  };
}
