// One schema per resource, and the API's contract is that schema: ipAllowlist comes as the form's
// lines or as an array of entries (the API's shape), checked by the same rules, and the OpenAPI
// document describes both forms with the schema's own limits; the update schema has no expiry.
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { MAX_ALLOWLIST_ENTRIES } from "./ip-allowlist";
import { apiKeyCreateSchema, apiKeyUpdateSchema } from "./schemas";

type Schemas = Record<string, { properties: Record<string, unknown> }>;
const documentSchemas = () => openApiDocument("/").components.schemas as unknown as Schemas;

const parse = (ipAllowlist: unknown) => apiKeyCreateSchema.safeParse({ name: "Key name", groupId: "g1", ipAllowlist });
const messages = (ipAllowlist: unknown) => {
  const result = parse(ipAllowlist);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("ipAllowlist", () => {
  it("takes lines or an array, as the same lines", () => {
    expect(parse("10.0.0.1\n2001:db8::/32").data?.ipAllowlist).toBe("10.0.0.1\n2001:db8::/32");
    expect(parse(["10.0.0.1", "2001:db8::/32"]).data?.ipAllowlist).toBe("10.0.0.1\n2001:db8::/32");
    expect(parse([]).data?.ipAllowlist).toBe("");
    expect(parse(undefined).data?.ipAllowlist).toBe("");
  });

  it("checks both forms by the same rules, with the same messages", () => {
    expect(messages(["10.0.0.1", "example.com"])).toEqual(messages("10.0.0.1\nexample.com"));
    expect(messages(["10.0.0.1", "example.com"])).toEqual(['ipAllowlist: Line 2: "example.com" is not a valid IP address or CIDR range.']);
    const many = Array.from({ length: MAX_ALLOWLIST_ENTRIES + 1 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    expect(messages(many)).toEqual(messages(many.join("\n")));
    expect(messages(many)).toEqual([`ipAllowlist: At most ${MAX_ALLOWLIST_ENTRIES} entries are allowed.`]);
  });

  it("refuses anything else with a field error", () => {
    for (const value of [5, [1], ["10.0.0.1", null], { a: "10.0.0.1" }]) {
      expect(messages(value), JSON.stringify(value)).toEqual(["ipAllowlist: IP Allowlist must be text with one address per line, or an array of addresses."]);
    }
  });

  it("is described in the OpenAPI document as both forms, with the limits the schema checks", () => {
    const schemas = documentSchemas();
    for (const name of ["ApiKeyCreate", "ApiKeyUpdate"]) {
      expect(schemas[name].properties.ipAllowlist, name).toMatchObject({
        anyOf: [
          { type: "string", maxLength: 10_000 },
          { type: "array", items: { type: "string" }, maxItems: MAX_ALLOWLIST_ENTRIES },
        ],
      });
    }
    expect(messages("10.0.0.1\n".repeat(1_200))).toEqual(["ipAllowlist: IP Allowlist is too long."]);
  });
});

describe("the update schema", () => {
  it("has no expiry, in zod or in the OpenAPI document (PATCH refuses expiresIn and expiresAt with 422)", () => {
    expect(Object.keys(apiKeyUpdateSchema.shape).sort()).toEqual(["credits", "creditsRefill", "description", "environmentId", "groupId", "ipAllowlist", "name", "rateLimits", "serviceAccountId"]);
    const update = documentSchemas().ApiKeyUpdate;
    expect(Object.keys(update.properties).sort()).toEqual(["credits", "creditsRefill", "description", "environmentId", "groupId", "ipAllowlist", "name", "rateLimits", "serviceAccountId"]);
  });
});
