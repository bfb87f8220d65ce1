/**
 * Structured error logging. Only the error's name, message and stack and the given fields are
 * written: never request bodies or action arguments, which can carry a key's secret. The line's
 * own `level`, `time` and `message` come last so that neither the fields nor the error can
 * replace them: the error's message is written as `error.message`.
 */
export function logError(message: string, error: unknown, fields: Record<string, unknown> = {}) {
  const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
  console.error(JSON.stringify({ ...fields, error: err, level: "error", time: new Date().toISOString(), message }));
}
