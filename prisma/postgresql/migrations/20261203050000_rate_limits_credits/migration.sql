-- AlterTable
ALTER TABLE "AuthorizationGroup" ADD COLUMN     "rateLimits" TEXT;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "credits" INTEGER,
ADD COLUMN     "creditsRefillAmount" INTEGER,
ADD COLUMN     "creditsRefillDay" INTEGER,
ADD COLUMN     "creditsRefillInterval" TEXT,
ADD COLUMN     "creditsRefilledAt" TEXT,
ADD COLUMN     "creditsVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rateLimits" TEXT;

-- AlterTable
ALTER TABLE "ApiKeyUsageDaily" ADD COLUMN     "rateLimitedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "usageExceededCount" INTEGER NOT NULL DEFAULT 0;

