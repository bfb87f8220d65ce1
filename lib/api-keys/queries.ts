import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { databaseProvider } from "@/lib/db/database-url";
import { EXPIRING_SOON_MS, type ApiKeyListParams } from "./schemas";
import { KEY_GROUP_TYPE, countingKeysWhere, flagWhere } from "./where";
import { apiKeyPublicSelect, type ApiKeyRow } from "./row";
import { windowsOf } from "../rate-limits/key-fields";

export async function countActiveKeys(db: Db | Tx, tenantId: string, now = new Date()): Promise<number> {
  return db.apiKey.count({ where: countingKeysWhere(tenantId, now) });
}

/**
 * `text` as a LIKE pattern that matches it literally. Prisma's `contains` becomes LIKE
 * '%text%' and escapes nothing, so a `%` or `_` in a search would be a wildcard. The escape
 * character is the backslash: PostgreSQL's default, and SQLite's through the adapter
 * (lib/db/sqlite-adapter.ts adds ESCAPE '\' to every LIKE).
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive "name contains". SQLite's LIKE already ignores ASCII case; PostgreSQL needs
 * mode "insensitive", which the SQLite-generated types do not know, hence the cast.
 */
function nameContains(q: string): Prisma.StringFilter {
  const contains = escapeLike(q);
  return databaseProvider() === "postgresql"
    ? ({ contains, mode: "insensitive" } as Prisma.StringFilter)
    : { contains };
}

function listWhere(tenantId: string, params: ApiKeyListParams, now: Date, rotationPolicyDays: number): Prisma.ApiKeyWhereInput {
  const and: Prisma.ApiKeyWhereInput[] = [{ tenantId }];
  if (params.flag) and.push(flagWhere(params.flag, now, rotationPolicyDays));
  if (params.status.length === 1) and.push({ status: params.status[0] });
  if (params.expiry.length > 0 && params.expiry.length < 3) {
    const soon = new Date(now.getTime() + EXPIRING_SOON_MS);
    const states: Record<string, Prisma.ApiKeyWhereInput> = {
      valid: { OR: [{ expiresAt: null }, { expiresAt: { gt: soon } }] },
      expiring_soon: { expiresAt: { gt: now, lte: soon } },
      expired: { expiresAt: { lte: now } },
    };
    and.push({ OR: params.expiry.map((state) => states[state]) });
  }
  if (params.q) and.push({ name: nameContains(params.q) });
  return { AND: and };
}

function listOrder(params: ApiKeyListParams): Prisma.ApiKeyOrderByWithRelationInput[] {
  const order = params.order;
  const primary: Prisma.ApiKeyOrderByWithRelationInput =
    params.sort === "expires"
      ? { expiresAt: { sort: order, nulls: "last" } }
      : params.sort === "last_used"
        ? { lastUsedAt: { sort: order, nulls: "last" } }
        : params.sort === "name"
          ? { name: order }
          : { createdAt: order };
  // The id breaks ties so that pages never repeat or skip a row.
  return [primary, { id: order }];
}

/** One page of the tenant's keys; filtering, sorting and paging all happen in the database. */
export async function listApiKeys(
  db: Db,
  tenantId: string,
  params: ApiKeyListParams,
  now = new Date(),
  rotationPolicyDays = 90,
) {
  const where = listWhere(tenantId, params, now, rotationPolicyDays);
  const [rows, total] = await Promise.all([
    db.apiKey.findMany({
      where,
      select: apiKeyPublicSelect,
      orderBy: listOrder(params),
      skip: (params.page - 1) * params.pageSize,
      take: params.pageSize,
    }),
    db.apiKey.count({ where }),
  ]);
  return { rows, total };
}

/** Authorization groups a key may be given: this tenant's, of type Tenant API Key. */
export async function listKeyGroups(db: Db | Tx, tenantId: string) {
  const groups = await db.authorizationGroup.findMany({
    where: { tenantId, type: KEY_GROUP_TYPE },
    select: { id: true, name: true, scopes: true, description: true, rateLimits: true },
    orderBy: { name: "asc" },
  });
  return groups.map((g) => ({ ...g, rateLimits: windowsOf(g.rateLimits) }));
}

/** One key of the tenant as every reader shows it; another tenant's key id is simply not found. */
export async function findApiKey(db: Db | Tx, tenantId: string, keyId: string): Promise<ApiKeyRow | null> {
  return db.apiKey.findFirst({ where: { id: keyId, tenantId }, select: apiKeyPublicSelect });
}
