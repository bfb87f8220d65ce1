/** The API also takes ipAllowlist as an array of strings; the shared schema wants lines. */
export function adaptKeyBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.ipAllowlist) && record.ipAllowlist.every((v) => typeof v === "string")) {
    return { ...record, ipAllowlist: record.ipAllowlist.join("\n") };
  }
  return body;
}
