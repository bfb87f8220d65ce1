// The keyed audit chain and its signed checkpoints (lib/audit/), attacked as someone who can write
// the database but not read the environment would: delete the newest events, rewrite an old one
// and re-chain with plain SHA-256, forge a checkpoint. Each test on a fresh seeded database
// (SQLite, and PostgreSQL in the PostgreSQL phase: tests/db.ts).
import { createHash, createPublicKey, verify } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { execSql, seededDb, userContext, type SeededDb } from "../../tests/db";
import { auditHashInput, auditKeys, CHAIN_UNKEYED } from "./chain";
import { checkpointsDocument, checkpointVerifiedHead, CHECKPOINT_EVERY, sealUnkeyedChains } from "./checkpoints";
import { hashInputSql, verifyAuditChain } from "./verify-chain";
import { writeAuditEvent, writeAuditEvents, type AuditInput } from "./write";

let t: SeededDb;
beforeEach(async () => {
  t = await seededDb("keyward-audit-chain");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

const TX = { maxWait: 15_000, timeout: 30_000 } as const;

function input(tenantId: string, n: number, overrides: Partial<AuditInput> = {}): AuditInput {
  const { actor } = userContext(tenantId, t.fx.users.admin);
  return {
    tenantId,
    actor,
    action: "api_key.updated",
    requestId: `req_chain_${n}`,
    details: { changes: { description: { from: `v${n}`, to: `v${n + 1}` } } },
    createdAt: new Date(Date.UTC(2026, 10, 1) + n * 1000),
    ...overrides,
  };
}

/** `count` events appended to the tenant's chain by the app's own writer. */
async function appendEvents(tenantId: string, count: number, from = 1) {
  const inputs = Array.from({ length: count }, (_, i) => input(tenantId, from + i));
  await t.db.$transaction((tx) => writeAuditEvents(tx, inputs), TX);
}

const events = (tenantId: string) => t.db.auditEvent.findMany({ where: { tenantId }, orderBy: { seq: "asc" } });
const sha256 = (event: Parameters<typeof auditHashInput>[0]) => createHash("sha256").update(auditHashInput(event)).digest("hex");

/**
 * What an attacker without the chain key can do: change event `seq`'s details and recompute the
 * chain from there with plain SHA-256, the only hash they can compute.
 */
async function rewriteAndRechain(tenantId: string, seq: number, details: string, options: { markUnkeyed?: boolean } = {}) {
  const all = await events(tenantId);
  let prevHash = all.find((e) => e.seq === seq - 1)?.hash ?? null;
  for (const event of all.filter((e) => e.seq >= seq)) {
    const changed = { ...event, prevHash, details: event.seq === seq ? details : event.details };
    const hash = sha256(changed);
    await t.db.auditEvent.update({
      where: { id: event.id },
      data: { details: changed.details, prevHash, hash, ...(options.markUnkeyed ? { chainVersion: CHAIN_UNKEYED } : {}) },
    });
    prevHash = hash;
  }
}

describe("Verify chain", () => {
  it("accepts the chain the app wrote, with a signed checkpoint every 100 events", async () => {
    await appendEvents(t.fx.acme.id, 250);
    const report = await verifyAuditChain(t.db, t.fx.acme.id);
    expect(report).toMatchObject({ ok: true, checked: 250, checkpoints: 2, lastCheckpoint: { seq: 200 } });
    const checkpoints = await t.db.auditCheckpoint.findMany({ where: { tenantId: t.fx.acme.id }, orderBy: { seq: "asc" } });
    expect(checkpoints.map((c) => [c.seq, c.reason])).toEqual([
      [CHECKPOINT_EVERY, "every_100"],
      [2 * CHECKPOINT_EVERY, "every_100"],
    ]);
  });

  it("reports the newest events deleted after a checkpoint, naming the first missing one", async () => {
    await appendEvents(t.fx.acme.id, 5);
    const report = await verifyAuditChain(t.db, t.fx.acme.id);
    if (!report.ok || !report.head) throw new Error("expected an intact chain");
    // What the Verify chain action does after an intact result.
    expect(await checkpointVerifiedHead(t.db, { tenantId: t.fx.acme.id, ...report.head })).toMatchObject({ seq: 5, reason: "verify" });

    // The last two events removed: what is left is a perfectly linked, correctly keyed chain.
    await t.db.auditEvent.deleteMany({ where: { tenantId: t.fx.acme.id, seq: { gte: 4 } } });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "truncated", brokenSeq: 4, checked: 3, eventId: null });
  });

  it("reports deletions past an every-100 checkpoint too", async () => {
    await appendEvents(t.fx.acme.id, 105);
    await t.db.auditEvent.deleteMany({ where: { tenantId: t.fx.acme.id, seq: { gte: 97 } } });
    const report = await verifyAuditChain(t.db, t.fx.acme.id);
    expect(report).toMatchObject({ ok: false, kind: "truncated", brokenSeq: 97 });
    expect(!report.ok && report.reason).toMatch(/counted 100 events/);
  });

  it("reports an old event rewritten and re-chained with plain SHA-256, naming that event", async () => {
    await appendEvents(t.fx.acme.id, 10);
    const third = (await events(t.fx.acme.id))[2];
    await rewriteAndRechain(t.fx.acme.id, 3, JSON.stringify({ changes: { description: { from: "forged", to: "forged" } } }));
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({
      ok: false,
      kind: "content",
      brokenSeq: 3,
      eventId: third.id,
      reason: "its content does not match its keyed hash (HMAC)",
    });
  });

  it("reports a rewrite that relabels the events as unkeyed (chain version 1), from the first relabelled one", async () => {
    await appendEvents(t.fx.acme.id, 10);
    await rewriteAndRechain(t.fx.acme.id, 4, JSON.stringify({ forged: true }), { markUnkeyed: true });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "unkeyed", brokenSeq: 4 });

    // The whole history relabelled, and every checkpoint deleted: nothing vouches for event #1.
    await rewriteAndRechain(t.fx.acme.id, 1, JSON.stringify({ forged: true }), { markUnkeyed: true });
    await t.db.auditCheckpoint.deleteMany({ where: { tenantId: t.fx.acme.id } });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "unkeyed", brokenSeq: 1 });
  });

  it("reports a checkpoint that Keyward did not sign", async () => {
    await appendEvents(t.fx.acme.id, 3);
    const head = (await events(t.fx.acme.id))[2];
    await t.db.auditCheckpoint.create({
      data: { tenantId: t.fx.acme.id, seq: 9, hash: head.hash!, createdAt: new Date(), reason: "verify", signature: "AAAA", keyId: auditKeys().keyId },
    });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "forged_checkpoint", brokenSeq: 9 });
  });
});

describe("the fast path", () => {
  it("gets from the database exactly the hash input JavaScript computes, for awkward values too", async () => {
    const awkward = ['quote " backslash \\ slash /', "tab\tnewline\ncontrol\u0001", "ünïcödé ✓ 😀", "", "\u2028"];
    await t.db.$transaction(
      (tx) =>
        writeAuditEvents(
          tx,
          awkward.map((text, i) => input(t.fx.acme.id, i, { requestId: text, keyPrefix: i % 2 ? null : text, details: { text } })),
        ),
      TX,
    );
    const params = t.provider === "sqlite" ? "?" : "$1";
    const rows = await t.db.$queryRawUnsafe<{ seq: number; input: string }[]>(
      `SELECT "seq", ${hashInputSql(t.provider)} AS "input" FROM "AuditEvent" WHERE "tenantId" = ${params} ORDER BY "seq"`,
      t.fx.acme.id,
    );
    const expected = (await events(t.fx.acme.id)).map((e) => auditHashInput(e));
    expect(rows.map((r) => r.input)).toEqual(expected);
  });
});

describe("the fast path, against a changed time", () => {
  it("an event's time moved to another offset with the same digits is reported, not taken at face value", async () => {
    if (t.provider !== "sqlite") return; // PostgreSQL stores a timestamp, not text
    await appendEvents(t.fx.acme.id, 3);
    const second = (await events(t.fx.acme.id))[1];
    const text = second.createdAt.toISOString().replace("Z", "-05:00"); // five hours later, same digits
    await execSql(t, `UPDATE "AuditEvent" SET "createdAt" = '${text}' WHERE "id" = '${second.id}'`);
    expect((await events(t.fx.acme.id))[1].createdAt.getTime()).toBe(second.createdAt.getTime() + 5 * 3600_000);
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "content", brokenSeq: 2 });
  });
});

describe("events written before keyed chains (chain version 1)", () => {
  /** Events as the previous release wrote them: plain SHA-256, chainVersion 1. */
  async function legacyEvents(tenantId: string, count: number) {
    let prevHash: string | null = null;
    for (let seq = 1; seq <= count; seq++) {
      const i = input(tenantId, seq);
      const data = {
        tenantId,
        seq,
        actorType: "user",
        actorUserId: t.fx.users.admin.id,
        actorKeyId: null,
        actorLabel: t.fx.users.admin.email,
        action: i.action,
        targetKeyId: null,
        keyPrefix: null,
        scopes: null,
        details: JSON.stringify(i.details),
        requestId: i.requestId,
        createdAt: i.createdAt,
        prevHash,
      };
      const hash = sha256(data);
      await t.db.auditEvent.create({ data: { ...data, hash, chainVersion: CHAIN_UNKEYED } });
      prevHash = hash;
    }
  }

  it("still verify once sealed when the database is prepared, and the chain continues keyed", async () => {
    await legacyEvents(t.fx.acme.id, 4);
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "unkeyed", brokenSeq: 1 });
    expect((await sealUnkeyedChains(t.db)).map((c) => [c.tenantId, c.seq, c.reason])).toEqual([[t.fx.acme.id, 4, "legacy_seal"]]);
    expect(await sealUnkeyedChains(t.db)).toEqual([]); // once
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: true, checked: 4 });

    await appendEvents(t.fx.acme.id, 3, 5);
    expect((await events(t.fx.acme.id)).map((e) => e.chainVersion)).toEqual([1, 1, 1, 1, 2, 2, 2]);
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: true, checked: 7 });
  });

  it("are sealed by the tenant's next event if the database was not prepared", async () => {
    await legacyEvents(t.fx.acme.id, 2);
    await t.db.$transaction((tx) => writeAuditEvent(tx, input(t.fx.acme.id, 3)), TX);
    expect(await t.db.auditCheckpoint.findMany({ where: { tenantId: t.fx.acme.id }, select: { seq: true, reason: true } })).toEqual([
      { seq: 2, reason: "legacy_seal" },
    ]);
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: true, checked: 3 });
  });

  it("rewritten after the seal and re-chained with SHA-256: reported against the seal", async () => {
    await legacyEvents(t.fx.acme.id, 4);
    await sealUnkeyedChains(t.db);
    await rewriteAndRechain(t.fx.acme.id, 2, JSON.stringify({ forged: true }), { markUnkeyed: true });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: false, kind: "checkpoint", brokenSeq: 4 });
  });
});

describe("checkpoints", () => {
  it("verify offline with the published public key and node:crypto alone", async () => {
    await appendEvents(t.fx.acme.id, 100);
    const published = JSON.parse(JSON.stringify(await checkpointsDocument(t.db, t.fx.acme)));
    expect(published.checkpoints).toHaveLength(1);
    const [checkpoint] = published.checkpoints;
    const key = createPublicKey(published.publicKey.pem);
    expect(verify(null, Buffer.from(checkpoint.payload), key, Buffer.from(checkpoint.signature, "base64url"))).toBe(true);
    const head = (await events(t.fx.acme.id)).at(-1)!;
    expect(JSON.parse(checkpoint.payload)).toEqual({
      type: "keyward.audit.checkpoint",
      version: 1,
      tenantId: t.fx.acme.id,
      seq: 100,
      hash: head.hash,
      createdAt: checkpoint.createdAt,
    });
    // Any change to what was signed fails.
    const forged = checkpoint.payload.replace('"seq":100', '"seq":99');
    expect(verify(null, Buffer.from(forged), key, Buffer.from(checkpoint.signature, "base64url"))).toBe(false);
  });

  it("are logged once committed, and not at all when the transaction rolls back", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const lines = () => log.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"audit checkpoint"'));
    await appendEvents(t.fx.acme.id, 99);
    await expect(
      t.db.$transaction(async (tx) => {
        await writeAuditEvent(tx, input(t.fx.acme.id, 100));
        expect(await tx.auditCheckpoint.count({ where: { tenantId: t.fx.acme.id } })).toBe(1);
        expect(lines()).toEqual([]); // not before COMMIT
        throw new Error("the change failed after its audit event");
      }, TX),
    ).rejects.toThrow("the change failed");
    expect(lines()).toEqual([]);
    expect(await t.db.auditCheckpoint.count()).toBe(0);

    await t.db.$transaction((tx) => writeAuditEvent(tx, input(t.fx.acme.id, 100)), TX);
    expect(lines()).toHaveLength(1);
    const line = JSON.parse(lines()[0]);
    expect(line.checkpoint).toMatchObject({ tenantId: t.fx.acme.id, seq: 100, reason: "every_100", keyId: auditKeys().keyId });
    const [stored] = (await checkpointsDocument(t.db, t.fx.acme)).checkpoints;
    expect(line.checkpoint).toEqual(stored);
  });
});

describe("tenant isolation", () => {
  it("a tenant's verification and checkpoints never show another tenant's, and its tampering stays its own", async () => {
    await appendEvents(t.fx.acme.id, 100);
    await appendEvents(t.fx.globex.id, 120);
    const acme = await checkpointsDocument(t.db, t.fx.acme);
    const globex = await checkpointsDocument(t.db, t.fx.globex);
    expect(acme.checkpoints.map((c) => [c.tenantId, c.seq])).toEqual([[t.fx.acme.id, 100]]);
    expect(globex.checkpoints.map((c) => [c.tenantId, c.seq])).toEqual([[t.fx.globex.id, 100]]);
    expect(acme.tenant).toEqual({ id: t.fx.acme.id, name: "Acme" });

    await t.db.auditEvent.deleteMany({ where: { tenantId: t.fx.globex.id, seq: { gt: 90 } } });
    expect(await verifyAuditChain(t.db, t.fx.globex.id)).toMatchObject({ ok: false, kind: "truncated", brokenSeq: 91 });
    expect(await verifyAuditChain(t.db, t.fx.acme.id)).toMatchObject({ ok: true, checked: 100 });
  });
});
