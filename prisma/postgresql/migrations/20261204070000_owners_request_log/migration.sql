-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "environmentId" TEXT,
ADD COLUMN     "serviceAccountId" TEXT;

-- CreateTable
CREATE TABLE "ServiceAccount" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ownerUserId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestLog" (
    "id" SERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "clientIp" TEXT,
    "method" TEXT,
    "path" TEXT,
    "userAgent" TEXT,
    "source" TEXT NOT NULL,

    CONSTRAINT "RequestLog_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_serviceAccountId_createdAt_id_idx" ON "ApiKey"("tenantId", "serviceAccountId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_environmentId_createdAt_id_idx" ON "ApiKey"("tenantId", "environmentId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_serviceAccountId_fkey" FOREIGN KEY ("serviceAccountId") REFERENCES "ServiceAccount"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceAccount" ADD CONSTRAINT "ServiceAccount_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceAccount" ADD CONSTRAINT "ServiceAccount_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every existing tenant starts with the default environments (new tenants get them from the
-- seed or lib/environments/mutations.ts ensureDefaultEnvironments).
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || substr(md5(random()::text || t."id" || e."name"), 1, 22), t."id", e."name", CURRENT_TIMESTAMP
FROM "Tenant" t CROSS JOIN (VALUES ('production'), ('staging'), ('development')) AS e("name");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_actorType_seq_idx" ON "AuditEvent"("tenantId", "actorType", "seq");
