// Records the SQL Prisma sends on a client, with its parameters, each tagged with the label that
// was current when it was sent. Used by capture-list-sql.ts and audit-sql.ts.
import type { createPrismaClient } from "../../lib/db/prisma";

export type Captured = { label: string; query: string; params: unknown[] };

export function captureQueries(db: ReturnType<typeof createPrismaClient>) {
  const captured: Captured[] = [];
  let current = "";
  db.$on("query", (event) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(event.params);
    } catch {}
    captured.push({ label: current, query: event.query, params });
  });
  return {
    captured,
    label(next: string) {
      current = next;
    },
  };
}
