-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "previousPrefix" TEXT;

-- CreateTable
CREATE TABLE "RootKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "allTenants" BOOLEAN NOT NULL DEFAULT true,
    "tenantIds" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "lastUsedAt" DATETIME,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlatformAuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actorType" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "rootKeyId" TEXT,
    "keyPrefix" TEXT,
    "details" TEXT,
    "requestId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "RootKey_hash_key" ON "RootKey"("hash");

-- CreateIndex
CREATE INDEX "RootKey_status_createdAt_idx" ON "RootKey"("status", "createdAt");

-- CreateIndex
CREATE INDEX "PlatformAuditEvent_createdAt_idx" ON "PlatformAuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "PlatformAuditEvent_rootKeyId_createdAt_idx" ON "PlatformAuditEvent"("rootKeyId", "createdAt");

