-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "activeSlot" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IssuedToken" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByKeyId" TEXT,
    "groupId" TEXT,
    "scopes" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IssuedToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_activeSlot_key" ON "SigningKey"("activeSlot");

-- CreateIndex
CREATE INDEX "IssuedToken_tenantId_createdAt_idx" ON "IssuedToken"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "IssuedToken_revokedAt_expiresAt_idx" ON "IssuedToken"("revokedAt", "expiresAt");

-- CreateIndex
CREATE INDEX "IssuedToken_kid_expiresAt_idx" ON "IssuedToken"("kid", "expiresAt");

-- AddForeignKey
ALTER TABLE "IssuedToken" ADD CONSTRAINT "IssuedToken_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

