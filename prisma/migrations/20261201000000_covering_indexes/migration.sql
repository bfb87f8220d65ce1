-- DropIndex
DROP INDEX "ApiKey_tenantId_createdAt_idx";

-- DropIndex
DROP INDEX "ApiKey_tenantId_status_createdAt_idx";

-- DropIndex
DROP INDEX "AuditEvent_tenantId_createdAt_idx";

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_createdAt_id_idx" ON "ApiKey"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_status_createdAt_id_idx" ON "ApiKey"("tenantId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_counts_idx" ON "ApiKey"("tenantId", "status", "expiresAt", "lastUsedAt", "rotatedAt", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_createdAt_seq_idx" ON "AuditEvent"("tenantId", "createdAt", "seq");

