-- The key page's "Key / Token" filter of the request log: whether the key itself or a signed
-- token exchanged from it was presented, in a column that is never NULL, so that one index
-- serves both "Key" and "Token" newest first, by equality on via (PostgreSQL does not order an
-- index (keyId, tokenId, at, id) by at for `tokenId IS NULL`). A column with a constant default:
-- SQLite adds it without rebuilding the table (its triggers stay), PostgreSQL without a rewrite.
-- (No semicolon in these comments: the migration engine splits the script at each one.)

-- AlterTable
ALTER TABLE "RequestLog" ADD COLUMN "via" TEXT NOT NULL DEFAULT 'key';

-- The entries already logged for signed tokens.
UPDATE "RequestLog" SET "via" = 'token' WHERE "tokenId" IS NOT NULL;

-- CreateIndex
CREATE INDEX "RequestLog_keyId_via_at_id_idx" ON "RequestLog"("keyId", "via", "at", "id");
