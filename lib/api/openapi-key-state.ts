import type { V1OperationId } from "./v1-operations";

/**
 * The OpenAPI part of a key's reversible state changes (lib/api-keys/lifecycle.ts): disable,
 * re-enable and ending a rotation overlap early. Beside openapi.ts as openapi-tokens.ts is, with
 * that file's helpers, so that ids and scopes still come from the /v1 table.
 */
type Json = Record<string, unknown>;
type Helpers = {
  keyOperation: (id: V1OperationId, summary: string) => Json;
  ok: (description: string, schema: Json, headers?: ("ETag" | "Location")[]) => Json;
  errors: (...statuses: number[]) => Json;
  keyed: number[];
  keyIdParam: Json;
  ifMatch: Json;
  keyRef: Json;
};

export function keyStatePaths({ keyOperation, ok, errors, keyed, keyIdParam, ifMatch, keyRef }: Helpers) {
  const action = (id: V1OperationId, summary: string, done: string) => ({
    parameters: [keyIdParam],
    post: {
      ...keyOperation(id, summary),
      parameters: [ifMatch],
      responses: { "200": ok(done, keyRef, ["ETag"]), ...errors(...keyed, 404, 409, 412) },
    },
  });
  return {
    "/v1/api-keys/{key_id}/disable": action(
      "disableApiKey",
      "Disable the key for now: every request with it gets 401 (verify: DISABLED) until it is re-enabled; it keeps its place of the key limit. 409 unless active",
      "The disabled key",
    ),
    "/v1/api-keys/{key_id}/enable": action("enableApiKey", "Re-enable a disabled key. 409 unless disabled", "The re-enabled key"),
    "/v1/api-keys/{key_id}/end-overlap": action(
      "endRotationOverlap",
      "End a running rotation overlap now: the previous secret stops working at once. 409 when no overlap is running",
      "The key, without its previous secret",
    ),
  };
}
