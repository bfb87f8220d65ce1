// GET /v1/openapi.json: an OpenAPI 3.1 document that describes every /v1 route.
//
// Tenant and keys: none (the document needs no key).
import { expect, expectJson, test } from "./keys";

type Operation = { responses?: Record<string, unknown>; requestBody?: unknown };
type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation | unknown>>;
  components: {
    schemas: Record<string, { type?: string; properties?: Record<string, unknown>; required?: string[] }>;
    securitySchemes: Record<string, { type: string; in: string; name: string }>;
  };
};

async function fetchDocument(api: import("@playwright/test").APIRequestContext): Promise<OpenApi> {
  return expectJson<OpenApi>(await api.get("/v1/openapi.json"));
}

test("is OpenAPI 3.1 and documents every key-management route with its methods", async ({ api }) => {
  const doc = await fetchDocument(api);
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.info.title).toBeTruthy();
  expect(doc.info.version).toBeTruthy();
  expect(doc.components.securitySchemes.ApiKey).toEqual({ type: "apiKey", in: "header", name: "X-API-Key" });

  const expected: Record<string, string[]> = {
    "/v1/whoami": ["get"],
    "/v1/api-keys": ["get", "post"],
    "/v1/api-keys/{key_id}": ["get", "patch", "delete"],
    "/v1/api-keys/{key_id}/rotate": ["post"],
  };
  for (const [path, methods] of Object.entries(expected)) {
    expect(doc.paths[path], path).toBeTruthy();
    for (const method of methods) {
      const operation = doc.paths[path][method] as Operation | undefined;
      expect(operation, `${method} ${path}`).toBeTruthy();
      expect(Object.keys(operation!.responses ?? {}), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403"]));
    }
  }
  expect(Object.keys((doc.paths["/v1/api-keys"].post as Operation).responses!)).toEqual(
    expect.arrayContaining(["201", "400", "409", "413", "415", "422", "429"]),
  );
  expect(Object.keys((doc.paths["/v1/api-keys/{key_id}"].get as Operation).responses!)).toContain("404");
});

test("documents the key-less routes /v1/health and /v1/openapi.json too", async ({ api }) => {
  const doc = await fetchDocument(api);
  for (const path of ["/v1/health", "/v1/openapi.json"]) {
    expect(doc.paths[path]?.get, `GET ${path} in paths: ${Object.keys(doc.paths).join(", ")}`).toBeTruthy();
  }
  // And both really answer without a key.
  expect((await api.get("/v1/health")).status()).toBe(200);
});

test("components.schemas.ApiKeyCreate has the create fields; every $ref resolves", async ({ api }) => {
  const doc = await fetchDocument(api);
  const create = doc.components.schemas.ApiKeyCreate;
  expect(create.type).toBe("object");
  expect(Object.keys(create.properties ?? {})).toEqual(
    expect.arrayContaining(["name", "description", "groupId", "expiresAt", "expiresIn", "ipAllowlist"]),
  );
  expect(create.required ?? []).toEqual(expect.arrayContaining(["name", "groupId"]));
  expect(create.required ?? []).not.toContain("description");
  for (const name of ["Error", "ApiKey", "ApiKeyUpdate", "ApiKeyRotate"]) expect(doc.components.schemas[name], name).toBeTruthy();
  expect(Object.keys(doc.components.schemas.ApiKey.properties ?? {})).not.toContain("secret");

  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    const [, section, name] = /^#\/components\/(schemas|headers)\/([^/]+)$/.exec(ref) ?? [];
    expect(section, ref).toBeTruthy();
    expect((doc.components as Record<string, Record<string, unknown>>)[section][name], ref).toBeTruthy();
  }
});

test("documents the hot path: POST /v1/keys/verify and /v1/authorize with root-key security", async ({ api }) => {
  const doc = await fetchDocument(api);
  const verify = doc.paths["/v1/keys/verify"]?.post as Operation & { security?: unknown[] };
  expect(verify).toBeTruthy();
  expect(Object.keys(verify.responses ?? {})).toEqual(expect.arrayContaining(["200", "401", "403", "415", "422"]));
  expect(JSON.stringify(verify.security)).toContain("RootKey");
  for (const method of ["get", "post", "delete"]) {
    expect(doc.paths["/v1/authorize"][method], method).toBeTruthy();
    expect(doc.paths["/v1/authorize/{path}"][method], method).toBeTruthy();
  }
  expect(Object.keys(doc.components.schemas.VerifyRequest.properties ?? {})).toEqual(["key", "scope", "clientIp", "cost"]);
  expect(doc.components.securitySchemes.RootKey).toMatchObject({ type: "http", scheme: "bearer" });
});
