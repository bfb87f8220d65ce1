import type { Prisma } from "@/lib/generated/prisma/client";
import { limitColumnsSelect } from "@/lib/rate-limits/key-fields";

/**
 * What a key's row may show (lists, /v1, the mutations' results): never the hash, never
 * anything secret. Not server-only, so that the mutations (also run by test workers under
 * plain node) return it from their transaction instead of reading it back afterwards.
 */
export const apiKeyPublicSelect = {
  id: true,
  name: true,
  description: true,
  prefix: true,
  status: true,
  ipAllowlist: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  rotatedAt: true,
  previousHashExpiresAt: true,
  previousPrefix: true,
  previousLastUsedAt: true,
  disabledAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
  ...limitColumnsSelect,
  group: { select: { id: true, name: true, scopes: true, rateLimits: true } },
  serviceAccount: { select: { id: true, name: true, owner: { select: { id: true, name: true, email: true } } } },
  environment: { select: { id: true, name: true } },
} satisfies Prisma.ApiKeySelect;

export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeyPublicSelect }>;
