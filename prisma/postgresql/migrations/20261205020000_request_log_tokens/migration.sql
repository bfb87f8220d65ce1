-- AlterTable: a signed token's verifications are logged on the key it was exchanged from, with its jti
ALTER TABLE "RequestLog" ADD COLUMN "tokenId" TEXT;
