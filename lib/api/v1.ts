import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { verifyKeyOrToken, WWW_AUTHENTICATE } from "@/lib/tokens/verify-credential";
import { appVerifier } from "@/lib/verify/app-verifier";
import { openVerified, VERIFIED_HEADER } from "@/lib/verify/handoff";
import type { CachedKey } from "@/lib/api-keys/key-cache";
import type { ApiKeyRow } from "@/lib/api-keys/row";
import { toApiKeyJson } from "@/lib/api-keys/serialize";
import type { MutationContext } from "@/lib/api-keys/mutations";
import { clientIp } from "@/lib/http/client-ip";
import { requestIdFrom } from "@/lib/request-id";
import { logError } from "@/lib/log";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { ErrorCode, Failure } from "@/lib/result";
import { allows } from "@/lib/auth/permissions";
import { v1Operation, type V1Operation, type V1OperationId } from "./v1-operations";

export const MAX_BODY_BYTES = 32 * 1024;

export type ApiContext = { key: CachedKey; requestId: string; mutation: MutationContext };
type RouteParams = { params: Promise<Record<string, string>> };

const BASE_HEADERS = { "Cache-Control": "no-store" };

/** The one error envelope of /v1: { error: { code, message, requestId } }. */
export function apiError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  extra: { headers?: Record<string, string>; fieldErrors?: Record<string, string[]> } = {},
) {
  return NextResponse.json(
    { error: { code, message, requestId, ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}) } },
    { status, headers: { ...BASE_HEADERS, ...extra.headers, "X-Request-Id": requestId } },
  );
}

export function apiJson(body: unknown, requestId: string, status = 200, headers: Record<string, string> = {}) {
  return NextResponse.json(body, { status, headers: { ...BASE_HEADERS, ...headers, "X-Request-Id": requestId } });
}

/** A key's strong ETag: its version, bumped by every change (prisma/schema.prisma). */
export function keyEtag(version: number): string {
  return `"v${version}"`;
}

/**
 * A key as /v1 answers with it: the JSON the API shows (never the hash) with its ETag, which
 * PATCH and rotate accept back in If-Match; with `secret` when it was just made (create, rotate),
 * the only time it is ever sent.
 */
export function apiKeyResponse(
  row: ApiKeyRow,
  requestId: string,
  options: { status?: number; secret?: string; headers?: Record<string, string> } = {},
) {
  const body = options.secret === undefined ? toApiKeyJson(row) : { ...toApiKeyJson(row), secret: options.secret };
  return apiJson(body, requestId, options.status ?? 200, { ...options.headers, ETag: keyEtag(row.version) });
}

/**
 * If-Match as the versions it accepts: undefined when absent or "*" (unconditional), else the
 * versions of the listed strong tags. A weak or malformed tag matches nothing (RFC 9110 uses
 * the strong comparison for If-Match), so the change is refused with 412.
 */
export function ifMatchVersions(request: NextRequest): number[] | undefined {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const versions: number[] = [];
  for (const tag of header.split(",")) {
    const match = /^"v([1-9][0-9]{0,9})"$/.exec(tag.trim());
    if (match) versions.push(Number(match[1]));
  }
  return versions;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 422,
  limit_reached: 409,
  conflict: 409,
  precondition_failed: 412,
  not_found: 404,
  forbidden: 403,
  scope_exceeded: 403,
  unauthorized: 401,
  unavailable: 503,
  internal: 500,
};

export function apiFailure(failure: Failure, requestId: string) {
  const { code, message, fieldErrors } = failure.error;
  return apiError(STATUS[code], code === "validation" ? "validation_failed" : code, message, requestId, { fieldErrors });
}

/**
 * `application/json`, with or without parameters (`; charset=utf-8`). Not the `+json` types
 * (`application/json-patch+json`, `application/merge-patch+json`): they mean other semantics
 * that these routes do not implement, so they are refused rather than read as plain JSON.
 */
export function isJsonMediaType(contentType: string | null): boolean {
  const essence = (contentType ?? "").split(";", 1)[0].trim().toLowerCase();
  return essence === "application/json";
}

/** Reads a JSON body of at most MAX_BODY_BYTES; answers 413, 415 or 400 otherwise. */
export async function readJson(
  request: NextRequest,
  requestId: string,
): Promise<{ ok: true; value: unknown } | { ok: false; response: NextResponse }> {
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    return { ok: false, response: apiError(415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json.", requestId) };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () => ({
    ok: false as const,
    response: apiError(413, "payload_too_large", `The request body exceeds ${MAX_BODY_BYTES} bytes.`, requestId),
  });
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body is not valid JSON.", requestId) };
  }
}

/**
 * Wraps the handler of one /v1 operation (lib/api/v1-operations.ts): request id, X-API-Key
 * verification with the scope and read/write the table gives it, the permission map's check of
 * the key, the error envelope, and a generic 500 (logged with the request id) for anything
 * unexpected. The operation stays on the handler (`.operation`) for the tests that hold the
 * route files to the table.
 */
export function apiRoute(
  id: V1OperationId,
  handler: (request: NextRequest, context: ApiContext, params: Record<string, string>) => Promise<Response>,
): ((request: NextRequest, route: RouteParams) => Promise<Response>) & { operation: V1Operation } {
  const operation = v1Operation(id);
  const { scope } = operation;
  const wrapped = async (request: NextRequest, route: RouteParams) => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    try {
      // Keyward's server (server/v1-gate.ts) has verified the key for this scope already.
      const sealed = openVerified(request.headers.get(VERIFIED_HEADER), process.env.KEYWARD_PEER_NONCE, scope);
      const verified = sealed
        ? { ok: true as const, key: sealed }
        : await verifyKeyOrToken(appVerifier(), request.headers.get("x-api-key"), request.headers.get("authorization"), {
            clientIp: clientIp(request.headers),
            scope: scope ?? undefined,
            write: operation.write,
            request: { id: requestId, source: "v1", method: request.method, path: request.nextUrl.pathname, userAgent: request.headers.get("user-agent") },
          });
      if (!verified.ok) {
        const headers: Record<string, string> = {};
        if (verified.retryAfter) headers["Retry-After"] = String(verified.retryAfter);
        if (verified.status === 401) headers["WWW-Authenticate"] = WWW_AUTHENTICATE;
        return apiError(verified.status, verified.code, verified.message, requestId, { headers });
      }
      const key = verified.key;
      // verify() checked this scope already; the map is asked all the same, as everywhere else.
      if (operation.permission && !allows({ type: "api_key", scopes: key.scopes }, operation.permission)) {
        return apiError(403, "insufficient_scope", `This API key lacks the scope ${scope}.`, requestId);
      }
      const context: ApiContext = {
        key,
        requestId,
        mutation: { tenantId: key.tenantId, actor: { type: "api_key", keyId: key.id, label: key.secretPrefix }, requestId },
      };
      const response = await handler(request, context, (await route.params) ?? {});
      response.headers.set("X-Request-Id", requestId);
      return response;
    } catch (error) {
      logError("v1 request failed", error, { requestId, method: request.method, path: request.nextUrl.pathname });
      // Only a read is known to have changed nothing: a write may have committed before the
      // failure (its answer lost), so the caller is told to look before retrying.
      const safe = !operation.write;
      const outcome = safe ? "Nothing was changed." : "The change may or may not have been made: read the key before retrying.";
      if (isDatabaseUnavailable(error)) {
        return apiError(503, "unavailable", `The database is unavailable. ${outcome}`, requestId, { headers: { "Retry-After": "5" } });
      }
      return apiError(500, "internal_error", `Something went wrong. ${outcome}`, requestId);
    }
  };
  return Object.assign(wrapped, { operation });
}

/** 405 in the envelope, with the methods the route does support. */
export function methodNotAllowed(allowed: string[]) {
  return (request: NextRequest) => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    return apiError(405, "method_not_allowed", `Use ${allowed.join(", ")} on this endpoint.`, requestId, {
      headers: { Allow: allowed.join(", ") },
    });
  };
}
