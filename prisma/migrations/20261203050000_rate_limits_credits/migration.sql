-- Rate limits and credits (issue 13). SQLite adds columns in place, NOT NULL ones with a
-- constant default, so the tables are not rebuilt.
ALTER TABLE "AuthorizationGroup" ADD COLUMN "rateLimits" TEXT;

ALTER TABLE "ApiKey" ADD COLUMN "rateLimits" TEXT;
ALTER TABLE "ApiKey" ADD COLUMN "credits" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "creditsRefillAmount" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "creditsRefillInterval" TEXT;
ALTER TABLE "ApiKey" ADD COLUMN "creditsRefillDay" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "creditsRefilledAt" TEXT;
ALTER TABLE "ApiKey" ADD COLUMN "creditsVersion" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ApiKeyUsageDaily" ADD COLUMN "rateLimitedCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ApiKeyUsageDaily" ADD COLUMN "usageExceededCount" INTEGER NOT NULL DEFAULT 0;
