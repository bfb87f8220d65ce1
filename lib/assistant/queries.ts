import "server-only";
import type { Db } from "@/lib/db/prisma";
import { KEY_GROUP_TYPE } from "@/lib/api-keys/where";
import type { AssistantContext } from "./types";

/** Enough names for any tenant's bar; the newest first, so a huge tenant still finds recent keys. */
const MAX_KEYS = 5_000;

/**
 * What the command bar may know: the signed-in tenant's key names, ids and prefixes and its
 * key groups. Scoped by tenant like every query, so another tenant's names can never match.
 */
export async function assistantContext(db: Db, tenantId: string): Promise<AssistantContext> {
  const [keys, groups] = await Promise.all([
    db.apiKey.findMany({
      where: { tenantId },
      select: { id: true, name: true, prefix: true, status: true },
      orderBy: { createdAt: "desc" },
      take: MAX_KEYS,
    }),
    db.authorizationGroup.findMany({
      where: { tenantId, type: KEY_GROUP_TYPE },
      select: { id: true, name: true, scopes: true },
      orderBy: { name: "asc" },
    }),
  ]);
  return {
    keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, revoked: k.status === "revoked" })),
    groups,
  };
}
