// A client generated from Keyward's own OpenAPI document by tools nobody here wrote
// (openapi-typescript for the types in lib/api/openapi-types.ts, openapi-fetch for the calls)
// drives a key's whole life: create with only the required fields, list, get, a partial PATCH
// with If-Match, rotate with an overlap, revoke. This file is type-checked with `tsc --strict`
// by lib/api/openapi.test.ts; every response is also checked against the document.
//
// Tenant and keys: Acme's bootstrap key; the key it creates is revoked at the end.
import createClient from "openapi-fetch";
import type { components, paths } from "../../lib/api/openapi-types";
import { expect, test } from "./keys";
import { validatingFetch } from "./openapi-validator";

test("openapi-fetch with the generated types: create, list, get, patch, rotate with overlap, revoke", async ({ acme, urls, clientAddress }) => {
  const client = createClient<paths>({
    baseUrl: urls.trusted,
    headers: { "X-API-Key": acme.bootstrap.secret, "X-Forwarded-For": clientAddress },
    fetch: validatingFetch(),
  });
  const groupId = acme.groupId("Read only");
  const name = `api generated client ${Date.now().toString(36)}`;

  // Only the two required fields: the generated type must not demand the optional ones.
  const created = await client.POST("/v1/api-keys", { body: { name, groupId } });
  expect(created.response.status).toBe(201);
  const key = created.data!;
  acme.created.push(key.id);
  expect(key.secret).toMatch(/^kw_/);
  expect(key.authorizationGroup.id).toBe(groupId);

  const listed = await client.GET("/v1/api-keys", { params: { query: { q: name, status: "active", pageSize: 10 } } });
  expect(listed.data!.data.map((row) => row.id)).toEqual([key.id]);
  expect(listed.data!.pagination.total).toBe(1);

  const read = await client.GET("/v1/api-keys/{key_id}", { params: { path: { key_id: key.id } } });
  expect(read.data!.name).toBe(name);
  const etag = read.response.headers.get("etag")!;

  // A partial PATCH: only the description changes, the rest keeps its value.
  const patched = await client.PATCH("/v1/api-keys/{key_id}", {
    params: { path: { key_id: key.id }, header: { "If-Match": etag } },
    body: { description: "generated client", ipAllowlist: ["203.0.113.0/24"] },
  });
  expect(patched.data).toMatchObject({ name, description: "generated client", ipAllowlist: ["203.0.113.0/24"] });
  const stale = await client.PATCH("/v1/api-keys/{key_id}", {
    params: { path: { key_id: key.id }, header: { "If-Match": etag } },
    body: { name: `${name} again` },
  });
  expect(stale.response.status).toBe(412);
  expect(stale.error!.error.code).toBe("precondition_failed");

  const rotated = await client.POST("/v1/api-keys/{key_id}/rotate", {
    params: { path: { key_id: key.id }, header: { "If-Match": patched.response.headers.get("etag")! } },
    body: { overlap: "1h" },
  });
  expect(rotated.data!.secret).not.toBe(key.secret);
  expect(rotated.data!.previousSecretValidUntil).not.toBeNull();

  const revoked = await client.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: key.id } } });
  expect(revoked.data!.status).toBe("revoked");
  expect(revoked.data!.previousSecretValidUntil).toBeNull();
});

// Type-level promises of the contract, checked by `tsc --strict` (lib/api/openapi.test.ts):
// the expiry is not part of PATCH, and a created key always carries its secret.
export function contractTypes(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error expiresIn is not editable, so ApiKeyUpdate does not have it
  const update: components["schemas"]["ApiKeyUpdate"] = { expiresIn: "7d" };
  void update;
  return async () => {
    const { data } = await client.POST("/v1/api-keys", { body: { name: "typed", groupId: "g" } });
    const secret: string | undefined = data?.secret;
    return secret;
  };
}
