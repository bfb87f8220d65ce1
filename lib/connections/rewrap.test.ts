// KEK rotation on a seeded database (SQLite; PostgreSQL in that phase): after the new KEK is set
// with the old one as previous, the re-wrap moves every stored data key under the new KEK, the
// secrets' ciphertexts stay byte for byte, and the credentials then read with the new KEK alone.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededDb, userContext, type SeededDb } from "../../tests/db";
import { createConnection, writeCredential } from "./mutations";
import { decryptCredential, envelopeKekId, keyringFrom } from "./envelope";
import { connectionKeyring } from "./keyring";
import { rewrapAllCredentials } from "./rewrap";

const NEW_KEK = "rotated-connection-kek-0123456789abcdefghijklmnopqrst";

describe("re-wrapping connection credentials under a new KEK", () => {
  let t: SeededDb;
  let saved: { kek?: string; previous?: string };
  beforeEach(async () => {
    t = await seededDb("connections-rewrap");
    saved = { kek: process.env.KEYWARD_CONNECTION_KEK, previous: process.env.KEYWARD_CONNECTION_KEK_PREVIOUS };
  });
  afterEach(async () => {
    process.env.KEYWARD_CONNECTION_KEK = saved.kek;
    if (saved.previous === undefined) delete process.env.KEYWARD_CONNECTION_KEK_PREVIOUS;
    else process.env.KEYWARD_CONNECTION_KEK_PREVIOUS = saved.previous;
    await t.close();
  });

  it("re-wraps every slot without changing a secret's ciphertext, and is safe to run again", async () => {
    const ctx = userContext(t.fx.acme.id, t.fx.users.owner);
    const created = await createConnection(t.db, ctx, { name: "Token", kind: "secret", secret: "kwtest-rewrap-primary" });
    if (!created.ok) throw new Error("create");
    await writeCredential(t.db, ctx, created.value.id, { secret: "kwtest-rewrap-secondary" });
    const before = await t.db.connection.findUniqueOrThrow({ where: { id: created.value.id } });
    const oldId = connectionKeyring().current.id;

    process.env.KEYWARD_CONNECTION_KEK_PREVIOUS = saved.kek!;
    process.env.KEYWARD_CONNECTION_KEK = NEW_KEK;
    const report = await rewrapAllCredentials(t.db, connectionKeyring());
    expect(report).toMatchObject({ connections: 1, rewrapped: 2, current: 0 });
    expect(report.kekId).not.toBe(oldId);

    const after = await t.db.connection.findUniqueOrThrow({ where: { id: created.value.id } });
    for (const [slot, secret] of [["primary", "kwtest-rewrap-primary"], ["secondary", "kwtest-rewrap-secondary"]] as const) {
      const was = slot === "primary" ? before.primaryEnvelope! : before.secondaryEnvelope!;
      const now = slot === "primary" ? after.primaryEnvelope! : after.secondaryEnvelope!;
      expect(envelopeKekId(now)).toBe(report.kekId);
      expect(now.split(".").slice(5)).toEqual(was.split(".").slice(5));
      expect(decryptCredential(keyringFrom({ KEYWARD_CONNECTION_KEK: NEW_KEK }), created.value.id, slot, now)).toBe(secret);
    }
    expect(await rewrapAllCredentials(t.db, connectionKeyring())).toMatchObject({ rewrapped: 0, current: 2 });
  });
});
