-- CreateTable
CREATE TABLE "ServiceAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ownerUserId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ServiceAccount_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ServiceAccount_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Environment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenantId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "requestId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "clientIp" TEXT,
    "method" TEXT,
    "path" TEXT,
    "userAgent" TEXT,
    "source" TEXT NOT NULL
);

-- AlterTable (written by hand instead of Prisma's table rebuild: ADD COLUMN keeps the columns
-- other migrations of this round add to ApiKey, which a rebuild from this schema would drop)
ALTER TABLE "ApiKey" ADD COLUMN "serviceAccountId" TEXT REFERENCES "ServiceAccount" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ApiKey" ADD COLUMN "environmentId" TEXT REFERENCES "Environment" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "ApiKey_tenantId_serviceAccountId_createdAt_id_idx" ON "ApiKey"("tenantId", "serviceAccountId", "createdAt", "id");
CREATE INDEX "ApiKey_tenantId_environmentId_createdAt_id_idx" ON "ApiKey"("tenantId", "environmentId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceAccount_tenantId_name_key" ON "ServiceAccount"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Environment_tenantId_name_key" ON "Environment"("tenantId", "name");

-- CreateIndex
CREATE INDEX "RequestLog_keyId_at_id_idx" ON "RequestLog"("keyId", "at", "id");

-- CreateIndex
CREATE INDEX "RequestLog_keyId_outcome_at_id_idx" ON "RequestLog"("keyId", "outcome", "at", "id");

-- CreateIndex
CREATE INDEX "RequestLog_keyId_clientIp_at_id_idx" ON "RequestLog"("keyId", "clientIp", "at", "id");

-- CreateIndex
CREATE INDEX "RequestLog_at_idx" ON "RequestLog"("at");


-- Every existing tenant starts with the default environments (new tenants get them from the
-- seed or lib/environments/mutations.ts ensureDefaultEnvironments).
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || lower(hex(randomblob(11))), t."id", e."name", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
FROM "Tenant" t, (SELECT 'production' AS "name" UNION ALL SELECT 'staging' UNION ALL SELECT 'development') e;

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_actorType_seq_idx" ON "AuditEvent"("tenantId", "actorType", "seq");
