/** Expected failures travel as values (shown next to a field or as a message); bugs are thrown. */
export type ErrorCode =
  | "validation"
  | "limit_reached"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "forbidden"
  /** An API key asked to create or change a key with scopes it does not hold itself. */
  | "scope_exceeded"
  | "unauthorized"
  | "unavailable"
  | "internal";

export type Failure = {
  ok: false;
  error: { code: ErrorCode; message: string; fieldErrors?: Record<string, string[]> };
};
export type Result<T> = { ok: true; value: T } | Failure;

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, fieldErrors?: Record<string, string[]>): Failure {
  return { ok: false, error: fieldErrors ? { code, message, fieldErrors } : { code, message } };
}

/** A zod error as one message per field, for the form and the API's 422 body. */
export function validationFailure(issues: readonly { path: PropertyKey[]; message: string }[]): Failure {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fail("validation", "Some fields need attention.", fieldErrors);
}
