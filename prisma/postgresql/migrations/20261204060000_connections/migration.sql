-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "activeSlot" TEXT NOT NULL DEFAULT 'primary',
    "primaryUsername" TEXT,
    "primaryEnvelope" TEXT,
    "primarySetAt" TIMESTAMP(3),
    "primaryTestedAt" TIMESTAMP(3),
    "primaryTestPassed" BOOLEAN,
    "secondaryUsername" TEXT,
    "secondaryEnvelope" TEXT,
    "secondarySetAt" TIMESTAMP(3),
    "secondaryTestedAt" TIMESTAMP(3),
    "secondaryTestPassed" BOOLEAN,
    "switchedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_tenantId_name_key" ON "Connection"("tenantId", "name");

-- AddForeignKey
ALTER TABLE "Connection" ADD CONSTRAINT "Connection_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

