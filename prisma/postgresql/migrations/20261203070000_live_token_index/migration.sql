-- CreateIndex
CREATE INDEX "IssuedToken_tenantId_revokedAt_expiresAt_idx" ON "IssuedToken"("tenantId", "revokedAt", "expiresAt");
