-- AlterTable: a plain ADD COLUMN (SQLite allows NOT NULL with a default), so that an existing
-- audit log is not copied into a new table. Events written before this migration are chain
-- version 1 (plain SHA-256).
ALTER TABLE "AuditEvent" ADD COLUMN "chainVersion" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    CONSTRAINT "AuditCheckpoint_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditCheckpoint_tenantId_seq_key" ON "AuditCheckpoint"("tenantId", "seq");
