-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "activeSlot" TEXT NOT NULL DEFAULT 'primary',
    "primaryUsername" TEXT,
    "primaryEnvelope" TEXT,
    "primarySetAt" DATETIME,
    "primaryTestedAt" DATETIME,
    "primaryTestPassed" BOOLEAN,
    "secondaryUsername" TEXT,
    "secondaryEnvelope" TEXT,
    "secondarySetAt" DATETIME,
    "secondaryTestedAt" DATETIME,
    "secondaryTestPassed" BOOLEAN,
    "switchedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Connection_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_tenantId_name_key" ON "Connection"("tenantId", "name");

