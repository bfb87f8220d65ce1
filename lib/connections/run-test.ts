import { probeHttp, probePostgres, type ProbeResult } from "./probe";
import type { ConnectionRecord } from "./row";
import type { HttpSettings, PostgresSettings } from "./schemas";

/** The Test of a connection's kind, with the settings stored for it. */
export async function runTest(row: Pick<ConnectionRecord, "kind" | "settings">, username: string, secret: string): Promise<ProbeResult> {
  const settings = JSON.parse(row.settings) as unknown;
  if (row.kind === "postgresql") return probePostgres(settings as PostgresSettings, username, secret);
  if (row.kind === "http") return probeHttp(settings as HttpSettings, secret);
  return { passed: false, message: "A generic secret has no system to test it against." };
}
