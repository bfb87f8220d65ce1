-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "previousLastUsedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "IssuedToken" ADD COLUMN     "lastUsedAt" TIMESTAMP(3);

