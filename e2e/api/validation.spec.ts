// /v1 request validation: 422 with fieldErrors, 400 malformed JSON, 413 body over 32 KiB, 415
// not JSON, 404 for unknown paths and ids. Always the JSON error envelope, never a 500 or an
// HTML page, and nothing is created or changed.
//
// Tenant and keys: Acme only. The shared Acme bootstrap key (Full access) plus, in the PATCH and
// rotate tests, one key created with a unique name and revoked when the test ends. Reads the
// "Support staff" group's id (a group of type user) from the e2e database, read only.
import http from "node:http";
import { expect, expectApiError, expectJson, groupIdFromDatabase, test, uniqueName, type TenantApi } from "./keys";

const MAX_BODY = 32 * 1024;

/**
 * A body sent byte for byte. (Playwright re-encodes a string `data` that is not valid JSON when
 * the Content-Type is JSON, so malformed JSON must go as a Buffer.)
 */
const raw = (text: string) => Buffer.from(text, "utf8");

/** Asserts that no key whose name contains `token` exists (nothing was created). */
async function expectNoKeyNamed(acme: TenantApi, token: string) {
  const list = await acme.list({ q: token, pageSize: 100 });
  expect(list.pagination.total, `keys named like "${token}"`).toBe(0);
}

test.describe("422 with fieldErrors, nothing created", () => {
  test("POST /v1/api-keys with bad fields", async ({ api, acme }) => {
    const supportStaff = await groupIdFromDatabase(acme.bootstrap.tenant.id, "Support staff");
    const fullAccess = acme.groupId("Full access");
    const token = uniqueName("invalid");
    const cases: { what: string; body: Record<string, unknown>; field: string }[] = [
      { what: "name too short", body: { name: "a", groupId: fullAccess, description: token }, field: "name" },
      { what: "name too long", body: { name: `${token} ${"x".repeat(200)}`, groupId: fullAccess }, field: "name" },
      { what: "name missing", body: { groupId: fullAccess, description: token }, field: "name" },
      { what: "prefix too long", body: { name: token, groupId: fullAccess, ipAllowlist: "10.0.0.0/33" }, field: "ipAllowlist" },
      { what: "not an address", body: { name: token, groupId: fullAccess, ipAllowlist: ["10.0.0.1", "example.com"] }, field: "ipAllowlist" },
      { what: "group of type user", body: { name: token, groupId: supportStaff }, field: "groupId" },
      { what: "unknown group", body: { name: token, groupId: "cl_no_such_group_000000000" }, field: "groupId" },
      { what: "group missing", body: { name: token }, field: "groupId" },
      {
        what: "expiry in the past",
        body: { name: token, groupId: fullAccess, expiresAt: new Date(Date.now() - 60_000).toISOString() },
        field: "expiresAt",
      },
      { what: "expiry not a date", body: { name: token, groupId: fullAccess, expiresAt: "next tuesday" }, field: "expiresAt" },
      { what: "unknown preset", body: { name: token, groupId: fullAccess, expiresIn: "2h" }, field: "expiresIn" },
      { what: "description too long", body: { name: token, groupId: fullAccess, description: "d".repeat(1001) }, field: "description" },
      { what: "name of the wrong type", body: { name: 42, groupId: fullAccess }, field: "name" },
    ];
    for (const { what, body, field } of cases) {
      const response = await api.post("/v1/api-keys", { headers: acme.auth, data: body });
      const error = await expectApiError(response, 422, "validation_failed");
      expect(error.error.fieldErrors?.[field], `${what}: ${JSON.stringify(error.error.fieldErrors)}`).toEqual(
        expect.arrayContaining([expect.any(String)]),
      );
    }
    await expectNoKeyNamed(acme, token);
    // The key named "a" (first case) does not exist either.
    const named = await acme.list({ q: "a", sort: "name", order: "asc", pageSize: 100 });
    expect(named.data.filter((k) => k.name === "a")).toEqual([]);
  });

  test("a JSON body that is not an object", async ({ api, acme }) => {
    for (const body of ["[]", "null", "42", '"text"']) {
      const response = await api.post("/v1/api-keys", {
        headers: { ...acme.auth, "Content-Type": "application/json" },
        data: raw(body),
      });
      const error = await expectApiError(response, 422, "validation_failed");
      expect(error.error.fieldErrors, body).toBeTruthy();
    }
  });

  test("PATCH with bad fields changes nothing", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("patch invalid"), group: "Read only", ipAllowlist: "10.1.1.1" });
    const supportStaff = await groupIdFromDatabase(acme.bootstrap.tenant.id, "Support staff");
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "a" }, "name"],
      [{ ipAllowlist: "10.0.0.0/33" }, "ipAllowlist"],
      [{ ipAllowlist: ["10.0.0.1", "300.1.1.1"] }, "ipAllowlist"],
      [{ groupId: supportStaff }, "groupId"],
      [{ groupId: "cl_no_such_group_000000000" }, "groupId"],
      [{ name: "fine name", description: "d".repeat(1001) }, "description"],
    ];
    for (const [body, field] of cases) {
      const error = await expectApiError(
        await api.patch(`/v1/api-keys/${key.id}`, { headers: acme.auth, data: body }),
        422,
        "validation_failed",
      );
      expect(error.error.fieldErrors?.[field], JSON.stringify(body)).toBeTruthy();
    }
    await expectApiError(
      await api.patch(`/v1/api-keys/${key.id}`, { headers: { ...acme.auth, "Content-Type": "application/json" }, data: raw("[1]") }),
      422,
      "validation_failed",
    );
    const after = await acme.get(key.id);
    expect(after).toMatchObject({ name: key.name, ipAllowlist: ["10.1.1.1"], authorizationGroup: { name: "Read only" } });
  });

  test("rotate with an unknown overlap", async ({ api, acme }) => {
    const key = await acme.create({ name: uniqueName("rotate invalid"), group: "Read only" });
    for (const overlap of ["2h", "30d", 3600, null]) {
      const error = await expectApiError(
        await api.post(`/v1/api-keys/${key.id}/rotate`, { headers: acme.auth, data: { overlap } }),
        422,
        "validation_failed",
      );
      expect(error.error.fieldErrors?.overlap, String(overlap)).toBeTruthy();
    }
    const after = await acme.get(key.id);
    expect(after.prefix).toBe(key.prefix);
    expect(after.rotatedAt).toBeNull();
  });
});

test.describe("400, 413, 415: the body itself", () => {
  test("400 for malformed JSON", async ({ api, acme }) => {
    const headers = { ...acme.auth, "Content-Type": "application/json" };
    const token = uniqueName("malformed");
    for (const body of [`{"name": "${token}", `, "{name: 'x'}", "", "\u0000", "{}{}"]) {
      await expectApiError(await api.post("/v1/api-keys", { headers, data: raw(body) }), 400, "invalid_json");
    }
    await expectApiError(await api.patch(`/v1/api-keys/${acme.bootstrap.id}`, { headers, data: raw("{") }), 400, "invalid_json");
    await expectApiError(
      await api.post(`/v1/api-keys/${acme.bootstrap.id}/rotate`, { headers, data: raw("{") }),
      400,
      "invalid_json",
    );
    await expectNoKeyNamed(acme, token);
    expect((await acme.get(acme.bootstrap.id)).rotatedAt).toBeNull();
  });

  test("413 for a body over 32 KiB", async ({ api, acme }) => {
    const token = uniqueName("too large");
    const body = { name: token, groupId: acme.groupId("Full access"), description: "x".repeat(MAX_BODY) };
    const response = await api.post("/v1/api-keys", { headers: acme.auth, data: body });
    const error = await expectApiError(response, 413, "payload_too_large");
    expect(error.error.message).toContain(String(MAX_BODY));
    await expectApiError(
      await api.patch(`/v1/api-keys/${acme.bootstrap.id}`, { headers: acme.auth, data: { description: "y".repeat(MAX_BODY) } }),
      413,
      "payload_too_large",
    );
    await expectNoKeyNamed(acme, token);
    // Just under the limit is read (and then fails validation on the description's length).
    const under = JSON.stringify({ name: token, groupId: acme.groupId("Full access"), description: "" });
    const padded = under.replace('"description":""', `"description":"${"z".repeat(MAX_BODY - under.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY);
    await expectApiError(
      await api.post("/v1/api-keys", { headers: { ...acme.auth, "Content-Type": "application/json" }, data: raw(padded) }),
      422,
      "validation_failed",
    );
  });

  test("413 for a streamed body over 32 KiB without Content-Length", async ({ urls, clientAddress, acme }) => {
    const chunk = `"${"x".repeat(1024)}",`;
    const result = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      let answered = false;
      const request = http.request(
        `${urls.trusted}/v1/api-keys`,
        {
          method: "POST",
          headers: {
            ...acme.auth,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
            "X-Forwarded-For": clientAddress,
          },
        },
        (response) => {
          answered = true;
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (part) => (body += part));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        },
      );
      // The server may close the connection once it has answered, before the body is sent.
      request.on("error", (error) => {
        if (!answered) reject(error);
      });
      request.write("[");
      let sent = 0;
      const writeMore = () => {
        // Up to 64 KiB in 1 KiB chunks, no Content-Length; stops once the server has answered.
        while (!answered && sent < 64 && request.write(chunk)) sent++;
        if (answered) return;
        if (sent < 64) request.once("drain", writeMore);
        else request.end('"end"]');
      };
      writeMore();
    });
    expect(result.status, result.body).toBe(413);
    expect(result.headers["content-type"]).toMatch(/^application\/json/);
    const body = JSON.parse(result.body);
    expect(body.error.code).toBe("payload_too_large");
    expect(result.headers["x-request-id"]).toBe(body.error.requestId);
  });

  test("415 for a body that is not JSON", async ({ api, acme }) => {
    const token = uniqueName("not json");
    const json = JSON.stringify({ name: token, groupId: acme.groupId("Full access") });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "application/json-patch+json",
      "application/merge-patch+json",
    ]) {
      await expectApiError(
        await api.post("/v1/api-keys", { headers: { ...acme.auth, "Content-Type": type }, data: json }),
        415,
        "unsupported_media_type",
      );
    }
    await expectApiError(
      await api.post("/v1/api-keys", { headers: acme.auth, form: { name: token, groupId: acme.groupId("Full access") } }),
      415,
      "unsupported_media_type",
    );
    await expectApiError(
      await api.patch(`/v1/api-keys/${acme.bootstrap.id}`, { headers: { ...acme.auth, "Content-Type": "text/plain" }, data: "{}" }),
      415,
      "unsupported_media_type",
    );
    await expectApiError(
      await api.post(`/v1/api-keys/${acme.bootstrap.id}/rotate`, {
        headers: { ...acme.auth, "Content-Type": "text/plain" },
        data: '{"overlap":"1h"}',
      }),
      415,
      "unsupported_media_type",
    );
    // Content-Type with a charset is still JSON.
    const created = await api.post("/v1/api-keys", {
      headers: { ...acme.auth, "Content-Type": "application/json; charset=utf-8" },
      data: JSON.stringify({ name: token, groupId: acme.groupId("Read only") }),
    });
    const key = await expectJson(created, 201);
    acme.created.push(key.id);
    expect((await acme.list({ q: token })).pagination.total).toBe(1);
    expect((await acme.get(acme.bootstrap.id)).rotatedAt).toBeNull();
  });
});

test.describe("404 in the envelope", () => {
  test("unknown /v1 paths, with and without a key", async ({ api, acme }) => {
    for (const path of ["/v1/nope", "/v1/api-keys/x/y/z", "/v1/whoami/extra", "/v1/api-keys/x/rotate/y"]) {
      const body = await expectApiError(await api.get(path, { headers: acme.auth }), 404, "not_found");
      expect(body.error.message).toBeTruthy();
      await expectApiError(await api.get(path), 404, "not_found");
    }
    await expectApiError(await api.post("/v1/nope", { headers: acme.auth, data: {} }), 404, "not_found");
    await expectApiError(await api.delete("/v1/nope", { headers: acme.auth }), 404, "not_found");
  });

  test("a malformed percent-encoding in the path is a 4xx in the envelope, not a 500", async ({ api, acme }) => {
    const attempts = [
      () => api.get("/v1/api-keys/%ZZ", { headers: acme.auth }),
      () => api.delete("/v1/api-keys/%E0%A4%A", { headers: acme.auth }),
      () => api.post("/v1/api-keys/%ZZ/rotate", { headers: acme.auth }),
      () => api.get("/v1/nope/%ZZ"),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      const text = await response.text();
      const where = `${response.url()} -> ${response.status()} ${response.headers()["content-type"]} ${text.slice(0, 200)}`;
      expect([400, 404], where).toContain(response.status());
      expect(response.headers()["content-type"], where).toMatch(/^application\/json/);
      expect(JSON.parse(text).error.requestId, where).toBe(response.headers()["x-request-id"]);
    }
  });

  test("an unknown key id", async ({ api, acme }) => {
    const id = "cl_no_such_key_00000000000";
    await expectApiError(await api.get(`/v1/api-keys/${id}`, { headers: acme.auth }), 404, "not_found");
    await expectApiError(await api.patch(`/v1/api-keys/${id}`, { headers: acme.auth, data: { name: "renamed" } }), 404, "not_found");
    await expectApiError(await api.delete(`/v1/api-keys/${id}`, { headers: acme.auth }), 404, "not_found");
    await expectApiError(await api.post(`/v1/api-keys/${id}/rotate`, { headers: acme.auth }), 404, "not_found");
    await expectApiError(await api.get(`/v1/api-keys/${"x".repeat(300)}`, { headers: acme.auth }), 404, "not_found");
  });
});
