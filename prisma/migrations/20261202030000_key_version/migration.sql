-- AlterTable (SQLite adds a NOT NULL column with a constant default in place; the table rebuild
-- that migrate diff proposes would give the same table)
ALTER TABLE "ApiKey" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
