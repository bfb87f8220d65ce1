// server/v1-gate.ts takes each request's operation from the /v1 table: verify() is asked for the
// table's scope and read/write (HEAD a read, never a write), the sealed hand-off carries that
// scope, and a path or method the table does not have goes on to Next.js unchecked by the gate
// (where the route answers 404/405). verify() is replaced by a recorder; the rest is real.
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { V1_OPERATION_LIST } from "@/lib/api/v1-operations";
import { openVerified, VERIFIED_HEADER } from "@/lib/verify/handoff";
import type { CachedKey } from "@/lib/api-keys/key-cache";

const calls = vi.hoisted(() => [] as { scope?: string; write?: boolean }[]);
const key: CachedKey = {
  id: "k1",
  tenantId: "t1",
  tenantName: "T",
  name: "Key",
  prefix: "kw_00000000",
  secretPrefix: "kw_00000000",
  status: "active",
  expiresAt: null,
  ipAllowlist: "",
  groupId: "g",
  groupName: "G",
  scopes: ["api_keys:read", "api_keys:write"],
  previousValidUntil: null,
};
vi.mock("@/lib/verify/verify", () => ({
  verify: vi.fn(async (_verifier: unknown, _secret: unknown, options: { scope?: string; write?: boolean }) => {
    calls.push({ scope: options.scope, write: options.write });
    return { ok: true, key };
  }),
}));

const { gateV1 } = await import("@/server/v1-gate");

async function gate(method: string, path: string) {
  calls.length = 0;
  const req = { method, headers: { "x-api-key": "kw_x" } as Record<string, string>, resume: () => undefined } as unknown as IncomingMessage;
  let status = 0;
  const res = { writeHead: (s: number) => (status = s), end: () => undefined } as unknown as ServerResponse;
  const answered = await gateV1({} as never, req, res, path, "req_1", null, "nonce-1");
  return { answered, status, call: calls[0], sealed: req.headers[VERIFIED_HEADER] as string | undefined };
}

const example = (path: string) => path.replace(/\{[^}]+\}/g, "key_1");

describe("the /v1 gate", () => {
  it("verifies every operation with the table's scope and read/write, and seals that scope", async () => {
    for (const op of V1_OPERATION_LIST.filter((o) => o.auth === "api_key")) {
      const { answered, call, sealed } = await gate(op.method, example(op.path));
      expect(call, op.id).toEqual({ scope: op.scope ?? undefined, write: op.write });
      if (op.id === "whoami") expect(answered).toBe(true);
      else {
        expect(answered, op.id).toBe(false);
        expect(openVerified(sealed ?? null, "nonce-1", op.scope)?.id, op.id).toBe("k1");
      }
    }
  });

  it("checks HEAD as its GET, a read", async () => {
    for (const op of V1_OPERATION_LIST.filter((o) => o.method === "GET" && o.id !== "whoami" && o.auth === "api_key")) {
      const { call } = await gate("HEAD", example(op.path));
      expect(call, op.id).toEqual({ scope: op.scope, write: false });
    }
  });

  it("leaves root-key operations to their route, which checks the root key (no tenant key is asked for)", async () => {
    const rootOps = V1_OPERATION_LIST.filter((o) => o.auth === "root_key");
    expect(rootOps.map((o) => o.id)).toEqual(["readConnectionCredential"]);
    for (const op of rootOps) {
      const { answered, call, sealed } = await gate(op.method, example(op.path));
      expect(answered, op.id).toBe(false);
      expect(call, op.id).toBeUndefined();
      expect(sealed, op.id).toBeUndefined();
    }
  });

  it("leaves requests the table does not have to Next.js", async () => {
    for (const [method, path] of [["PUT", "/v1/api-keys/key_1"], ["GET", "/v1/health"], ["GET", "/v1/nowhere"], ["POST", "/v1/whoami"]]) {
      const { answered, call } = await gate(method, path);
      expect(answered, `${method} ${path}`).toBe(false);
      expect(call, `${method} ${path}`).toBeUndefined();
    }
  });
});
