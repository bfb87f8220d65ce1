// /v1 reads a body as JSON only when it says Content-Type: application/json (parameters such as
// charset allowed). The +json types (JSON Patch, Merge Patch, JSON:API...) mean something these
// routes do not implement: 415, and nothing changes. On SQLite, and on PostgreSQL in the
// PostgreSQL phase.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutableState, seededDb, userContext, type SeededDb } from "./db";
import { loadV1, type V1 } from "./helpers/v1";
import { isJsonMediaType } from "@/lib/api/v1";
import { createApiKey } from "@/lib/api-keys/mutations";

const REFUSED = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/vnd.api+json",
  "application/problem+json",
  "application/jsonx",
  "application/json-seq",
  "text/json",
  "text/plain",
  "",
];
const ACCEPTED = ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", " application/json "];

describe("isJsonMediaType", () => {
  it.each(REFUSED)("refuses %j", (type) => expect(isJsonMediaType(type)).toBe(false));
  it.each(ACCEPTED)("accepts %j", (type) => expect(isJsonMediaType(type)).toBe(true));
  it("refuses a missing header", () => expect(isJsonMediaType(null)).toBe(false));
});

describe("the routes", () => {
  let t: SeededDb;
  let v1: V1;
  let key: { id: string; secret: string };

  beforeAll(async () => {
    t = await seededDb("keyward-content-type");
    const created = await createApiKey(t.db, userContext(t.fx.acme.id, t.fx.users.admin), { name: "Media caller", groupId: t.fx.groups.acmeFull.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    key = { id: created.value.key.id, secret: created.value.secret };
    v1 = await loadV1(t.url);
  });
  afterAll(async () => {
    await v1?.close();
    await t?.close();
  });

  it("answer 415 to every other type on POST, PATCH and rotate, and change nothing", async () => {
    const before = await mutableState(t);
    const create = JSON.stringify({ name: "Patched in", groupId: t.fx.groups.acmeFull.id });
    for (const contentType of REFUSED.filter(Boolean)) {
      const calls = [
        v1.call("POST", "/v1/api-keys", { key: key.secret, raw: create, contentType }),
        v1.call("PATCH", `/v1/api-keys/${key.id}`, { key: key.secret, raw: JSON.stringify({ name: "Patched name" }), contentType }),
        v1.call("POST", `/v1/api-keys/${key.id}/rotate`, { key: key.secret, raw: "{}", contentType }),
      ];
      for (const response of await Promise.all(calls)) {
        expect(response.status, contentType).toBe(415);
        expect(response.body.error.code).toBe("unsupported_media_type");
      }
    }
    expect(await mutableState(t)).toBe(before);
  });

  it("read application/json with parameters and in any case", async () => {
    for (const [i, contentType] of ACCEPTED.entries()) {
      const response = await v1.call("POST", "/v1/api-keys", {
        key: key.secret,
        raw: JSON.stringify({ name: `Accepted ${i}`, groupId: t.fx.groups.acmeReadOnly.id }),
        contentType,
      });
      expect(response.status, contentType).toBe(201);
    }
  });
});
