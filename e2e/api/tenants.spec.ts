// Tenant isolation (404 for another tenant's key, nothing changed) and the tenant key limit
// (409, also under concurrent requests).
//
// Tenant and keys: Globex is reserved for this file, which runs serially: its shared bootstrap
// key (Globex automation) and the keys the limit test creates; all of them but the bootstrap
// key are revoked again. Acme: its shared bootstrap key and one target key, revoked at the end.
import { createPublicKey, randomInt, sign, verify } from "node:crypto";
import { checkpointPayload } from "../../lib/audit/checkpoints";
import { e2eDb } from "../fixtures/db";
import { e2eAuditKeys } from "../fixtures/tenant";
import {
  expect,
  expectApiError,
  expectJson,
  keyHeader,
  test,
  uniqueName,
  type ApiKeyJson,
  type CreatedKey,
  type TenantApi,
} from "./keys";

test.describe.configure({ mode: "serial" });

test("another tenant's key id is not found (404) for GET, PATCH, DELETE and rotate, and stays unchanged", async ({
  api,
  acme,
  globex,
}) => {
  const target = await acme.create({ name: uniqueName("acme target"), group: "Read only", description: "Acme's own" });
  const headers = globex.auth;
  const unknownBody = await expectApiError(
    await api.get("/v1/api-keys/cl_no_such_key_00000000000", { headers }),
    404,
    "not_found",
  );

  const attempts = [
    await api.get(`/v1/api-keys/${target.id}`, { headers }),
    await api.patch(`/v1/api-keys/${target.id}`, { headers, data: { name: "hijacked by Globex" } }),
    await api.patch(`/v1/api-keys/${target.id}`, { headers, data: { groupId: globex.groupId("Globex automation") } }),
    await api.delete(`/v1/api-keys/${target.id}`, { headers }),
    await api.post(`/v1/api-keys/${target.id}/rotate`, { headers }),
    await api.post(`/v1/api-keys/${target.id}/rotate`, { headers, data: { overlap: "7d" } }),
  ];
  for (const response of attempts) {
    const body = await expectApiError(response, 404, "not_found");
    // The same answer as for an id that does not exist anywhere: no oracle.
    expect(body.error.message).toBe(unknownBody.error.message);
    expect(JSON.stringify(body)).not.toContain(target.name);
  }
  // Nor does Globex's list show it, whatever the filter.
  for (const query of [`q=${encodeURIComponent(target.name)}`, "status=active&pageSize=100", "status=revoked&pageSize=100"]) {
    const list = await expectJson(await api.get(`/v1/api-keys?${query}`, { headers }));
    expect(list.data.map((k: ApiKeyJson) => k.id)).not.toContain(target.id);
    expect(JSON.stringify(list)).not.toContain(target.name);
    expect(JSON.stringify(list)).not.toContain(acme.groupId("Read only"));
  }
  // Globex cannot give its key an Acme group either.
  await expectApiError(
    await api.patch(`/v1/api-keys/${globex.bootstrap.id}`, { headers, data: { groupId: acme.groupId("Full access") } }),
    422,
    "validation_failed",
  );
  await expectApiError(
    await api.post("/v1/api-keys", { headers, data: { name: uniqueName("cross group"), groupId: acme.groupId("Full access") } }),
    422,
    "validation_failed",
  );

  const after = await acme.get(target.id);
  expect(after).toEqual({ ...stripSecret(target), lastUsedAt: after.lastUsedAt });
  expect(after).toMatchObject({ status: "active", rotatedAt: null, revokedAt: null, description: "Acme's own" });
  const me = await expectJson(await api.get("/v1/whoami", { headers: keyHeader(target.secret) }));
  expect(me).toMatchObject({ id: target.id, tenant: { name: "Acme" } });

  // And the other way round: Acme cannot see Globex's bootstrap key.
  await expectApiError(await api.get(`/v1/api-keys/${globex.bootstrap.id}`, { headers: acme.auth }), 404, "not_found");
  await expectApiError(await api.delete(`/v1/api-keys/${globex.bootstrap.id}`, { headers: acme.auth }), 404, "not_found");
  await expectJson(await api.get("/v1/whoami", { headers: globex.auth }));
});

function stripSecret(key: CreatedKey): ApiKeyJson {
  const { secret: _secret, ...rest } = key;
  return rest;
}

/** Keys counting against the limit: active and not expired. */
async function countingKeys(tenant: TenantApi): Promise<number> {
  return (await tenant.list({ status: "active", expiry: "valid,expiring_soon", pageSize: 10 })).pagination.total;
}

test("the tenant key limit: 409 once reached, also under concurrent requests; revoked keys do not count", async ({
  api,
  globex,
}) => {
  test.setTimeout(60_000);
  const LIMIT = 10;
  const create = (name: string) =>
    api.post("/v1/api-keys", { headers: globex.auth, data: { name, groupId: globex.groupId("Globex automation") } });

  const start = await countingKeys(globex);
  expect(start, "Globex's counting keys before the test").toBeLessThan(LIMIT - 2);

  // Fill up to the limit but two, one by one.
  const token = uniqueName("limit");
  for (let i = start; i < LIMIT - 2; i++) {
    const key = await expectJson<CreatedKey>(await create(`${token} ${i}`), 201);
    globex.created.push(key.id);
  }
  expect(await countingKeys(globex)).toBe(LIMIT - 2);

  // Six at once for the last two places: exactly two succeed.
  const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`${token} race ${i}`)));
  const statuses = racing.map((r) => r.status()).sort();
  expect(statuses, "concurrent creates").toEqual([201, 201, 409, 409, 409, 409]);
  for (const response of racing) {
    if (response.status() === 201) {
      globex.created.push((await response.json()).id);
    } else {
      const body = await expectApiError(response, 409, "limit_reached");
      expect(body.error.message).toContain(`${LIMIT}/${LIMIT}`);
    }
  }
  expect(await countingKeys(globex)).toBe(LIMIT);

  // At the limit: a plain create fails with a clear message and creates nothing.
  const full = await expectApiError(await create(`${token} over`), 409, "limit_reached");
  expect(full.error.message).toMatch(/limit/i);
  expect((await globex.list({ q: `${token} over` })).pagination.total).toBe(0);
  expect((await globex.list({ q: token, pageSize: 100 })).pagination.total).toBe(LIMIT - start);

  // Revoking one frees a place; a key expiring soon counts like any active key.
  await globex.revoke(globex.created[0]);
  const soon = await api.post("/v1/api-keys", {
    headers: globex.auth,
    data: { name: `${token} expiring`, groupId: globex.groupId("Globex automation"), expiresAt: new Date(Date.now() + 2_000).toISOString() },
  });
  const soonKey = await expectJson<CreatedKey>(soon, 201);
  globex.created.push(soonKey.id);
  await expectApiError(await create(`${token} still full`), 409, "limit_reached");

  // An expired key does not count.
  await expect.poll(() => countingKeys(globex), { timeout: 10_000 }).toBe(LIMIT - 1);
  const afterExpiry = await expectJson<CreatedKey>(await create(`${token} after expiry`), 201);
  globex.created.push(afterExpiry.id);
  await expectApiError(await create(`${token} full again`), 409, "limit_reached");

  // The keys still work at the limit; Globex's others are untouched.
  await expectJson(await api.get("/v1/whoami", { headers: keyHeader(afterExpiry.secret) }));
  await expectJson(await api.get("/v1/whoami", { headers: globex.auth }));
});

test("GET /v1/audit/checkpoints gives the calling key's tenant's signed checkpoints only, with the public key", async ({ api, acme, globex }) => {
  const tenantOf = async (headers: Record<string, string>) => ((await expectJson(await api.get("/v1/whoami", { headers }), 200)) as { tenant: { id: string } }).tenant.id;
  const ids = { acme: await tenantOf(acme.auth), globex: await tenantOf(globex.auth) };
  // One signed checkpoint per tenant, at a seq of its own, as Verify chain would write them.
  const keys = e2eAuditKeys();
  const seqs = { acme: 1_000_000 + randomInt(1_000_000), globex: 3_000_000 + randomInt(1_000_000) };
  const db = await e2eDb();
  for (const name of ["acme", "globex"] as const) {
    const checkpoint = { tenantId: ids[name], seq: seqs[name], hash: "0".repeat(64), createdAt: new Date() };
    const signature = sign(null, Buffer.from(checkpointPayload(checkpoint)), keys.privateKey).toString("base64url");
    await db.auditCheckpoint.create({
      data: { id: `e2echeckpoint${name}${seqs[name]}`, ...checkpoint, reason: "verify", signature, keyId: keys.keyId },
    });
  }
  try {
    for (const name of ["acme", "globex"] as const) {
      const body = (await expectJson(await api.get("/v1/audit/checkpoints", { headers: (name === "acme" ? acme : globex).auth }), 200)) as {
        tenant: { id: string };
        publicKey: { keyId: string; pem: string };
        checkpoints: { tenantId: string; seq: number; payload: string; signature: string }[];
      };
      expect(body.tenant.id).toBe(ids[name]);
      expect(body.publicKey.keyId).toBe(keys.keyId);
      expect(body.checkpoints.map((c) => c.seq)).toContain(seqs[name]);
      expect(body.checkpoints.map((c) => c.seq)).not.toContain(seqs[name === "acme" ? "globex" : "acme"]);
      for (const c of body.checkpoints) expect(c.tenantId).toBe(ids[name]);
      const mine = body.checkpoints.find((c) => c.seq === seqs[name])!;
      expect(verify(null, Buffer.from(mine.payload), createPublicKey(body.publicKey.pem), Buffer.from(mine.signature, "base64url"))).toBe(true);
    }
    const since = (await expectJson(await api.get(`/v1/audit/checkpoints?since=${seqs.acme}`, { headers: acme.auth }), 200)) as { checkpoints: unknown[] };
    expect(since.checkpoints).toEqual([]);
    await expectApiError(await api.get("/v1/audit/checkpoints?since=soon", { headers: acme.auth }), 422, "validation_failed");
    await expectApiError(await api.get("/v1/audit/checkpoints"), 401, "unauthorized");
  } finally {
    await db.auditCheckpoint.deleteMany({ where: { id: { startsWith: "e2echeckpoint" } } });
  }
});
