/**
 * Structured error logging. Only the error's name, message and stack and the given fields are
 * written: never request bodies or action arguments, which can carry a key's secret.
 */
export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}) {
  const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { error: String(error) };
  console.error(JSON.stringify({ level: "error", time: new Date().toISOString(), message, ...fields, ...err }));
}
