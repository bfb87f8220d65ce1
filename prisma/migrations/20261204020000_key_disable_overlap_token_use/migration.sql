-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "disabledAt" DATETIME;
ALTER TABLE "ApiKey" ADD COLUMN "previousLastUsedAt" DATETIME;

-- AlterTable
ALTER TABLE "IssuedToken" ADD COLUMN "lastUsedAt" DATETIME;

