// GET /api/metrics: off (404) without KEYWARD_METRICS_TOKEN; with it, only the exact bearer
// token reads the counters. Every other value is a 404, never a 500, and is compared in
// constant time over SHA-256 digests, so neither the answer nor the work done depends on the
// token's length. (In tests/ because vitest.config.ts includes lib/, scripts/ and tests/.)
import * as crypto from "node:crypto";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const TOKEN = "metrics-token-0123456789abcdef";
const request = (authorization?: string) =>
  new NextRequest("http://keyward.test/api/metrics", { headers: authorization === undefined ? {} : { authorization } });

let GET: (request: NextRequest) => Response;
beforeEach(async () => {
  ({ GET } = await import("@/app/api/metrics/route"));
  vi.mocked(crypto.timingSafeEqual).mockClear();
});
afterEach(() => {
  delete process.env.KEYWARD_METRICS_TOKEN;
});

it("is not found while no token is configured, whatever is sent", () => {
  expect(GET(request()).status).toBe(404);
  expect(GET(request("Bearer ")).status).toBe(404);
});

describe("with KEYWARD_METRICS_TOKEN", () => {
  beforeEach(() => {
    process.env.KEYWARD_METRICS_TOKEN = TOKEN;
  });

  it("answers the counters to the exact bearer token", async () => {
    const response = GET(request(`Bearer ${TOKEN}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toBeTypeOf("object");
  });

  it("shows the limits' Redis failure policy: by default rate limits fail open, credits closed; each is a setting", async () => {
    expect(await GET(request(`Bearer ${TOKEN}`)).json()).toMatchObject({
      limits_redis_configured: 0,
      limits_redis_rate_limit_fail_open: 1,
      limits_redis_credits_fail_open: 0,
    });
    process.env.KEYWARD_REDIS_URL = "redis://127.0.0.1:6399";
    process.env.KEYWARD_REDIS_RATE_LIMIT_FAILURE = "closed";
    process.env.KEYWARD_REDIS_CREDITS_FAILURE = "open";
    try {
      expect(await GET(request(`Bearer ${TOKEN}`)).json()).toMatchObject({
        limits_redis_configured: 1,
        limits_redis_rate_limit_fail_open: 0,
        limits_redis_credits_fail_open: 1,
      });
    } finally {
      delete process.env.KEYWARD_REDIS_URL;
      delete process.env.KEYWARD_REDIS_RATE_LIMIT_FAILURE;
      delete process.env.KEYWARD_REDIS_CREDITS_FAILURE;
    }
  });

  it("answers 404, never a 500, to a token of the right length with a non-ASCII character", () => {
    const wrong = `${TOKEN.slice(0, -1)}é`;
    expect(wrong.length).toBe(TOKEN.length);
    expect(GET(request(`Bearer ${wrong}`)).status).toBe(404);
    expect(GET(request(`Bearer ${"ÿ".repeat(TOKEN.length)}`)).status).toBe(404);
  });

  it("compares every candidate, of any length, in constant time over equal-length digests", () => {
    const candidates = ["", "x", TOKEN.slice(1), `${TOKEN}x`, TOKEN.toUpperCase(), "é".repeat(TOKEN.length), "a".repeat(500)];
    for (const candidate of candidates) expect(GET(request(`Bearer ${candidate}`)).status, candidate).toBe(404);
    const compare = vi.mocked(crypto.timingSafeEqual);
    expect(compare).toHaveBeenCalledTimes(candidates.length);
    for (const [a, b] of compare.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });
});
