// POST /v1/keys/verify reads its common bodies without zod (server/verify-endpoint.ts): for
// every body, that reading must give exactly the schema's answer (valid or not, and the same data).
import { describe, expect, it } from "vitest";
import { parseVerifyRequest } from "../server/verify-endpoint";
import { verifyRequestSchema } from "../lib/verify/schemas";

const key = "kw_" + "A".repeat(38);
const bodies: unknown[] = [
  { key },
  { key, scope: "api_keys:read" },
  { key, clientIp: "203.0.113.7" },
  { key, clientIp: "2001:db8::1" },
  { key, clientIp: " 203.0.113.7 " },
  { key, scope: "orders:*", clientIp: "10.0.0.1" },
  { key, cost: 3 },
  { key: "" },
  { key: "x".repeat(4096) },
  { key: "x".repeat(4097) },
  { key: 42 },
  { key, scope: "" },
  { key, scope: "a b" },
  { key, scope: "s".repeat(201) },
  { key, scope: null },
  { key, clientIp: "10.0.0.0/8" },
  { key, clientIp: "999.1.1.1" },
  { key, clientIp: "1".repeat(65) },
  { key, clientIp: 7 },
  { key, surprise: true },
  { scope: "a" },
  {},
  [key],
  null,
  "key",
  JSON.parse(`{"key":"${key}","__proto__":{"x":1}}`),
];

describe("parseVerifyRequest", () => {
  it.each(bodies.map((body) => [JSON.stringify(body), body]))("answers as verifyRequestSchema for %s", (_label, body) => {
    const fast = parseVerifyRequest(body);
    const schema = verifyRequestSchema.safeParse(body);
    expect(fast.success).toBe(schema.success);
    if (fast.success && schema.success) expect(JSON.parse(JSON.stringify(fast.data))).toEqual(JSON.parse(JSON.stringify(schema.data)));
  });
});
