import type { ServerResponse } from "node:http";
import type { RootFailure } from "../lib/verify/root-key";
import { sendError } from "./respond";

export function sendRootFailure(res: ServerResponse, failure: RootFailure, requestId: string) {
  const headers: Record<string, string> = {};
  if (failure.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="keyward-root"';
  if (failure.retryAfter) headers["Retry-After"] = String(failure.retryAfter);
  if (failure.status === 503) headers["Retry-After"] = "1";
  sendError(res, failure.status, failure.code, failure.message, requestId, headers);
}
