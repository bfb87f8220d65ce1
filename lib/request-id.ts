import { randomUUID } from "node:crypto";

const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/** A request id: the caller's X-Request-Id when it is well-formed, otherwise a new one. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && ACCEPTED.test(incoming) ? incoming : `req_${randomUUID().replaceAll("-", "")}`;
}
