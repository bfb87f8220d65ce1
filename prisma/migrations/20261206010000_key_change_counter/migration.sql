-- The key change counter (lib/verify/lookup.ts): one row that these triggers bump whenever a
-- row the verifier's caches hold or depend on changes. A verifier's connection sees another
-- connection's commit through PRAGMA data_version, then reads this row, and empties its key,
-- root-key and signed-token caches only when it moved. The request log's writes (a worker
-- thread with its own connection) and the verifier's usage writes (lastUsedAt, the daily counts)
-- do not bump it, so they no longer empty the caches.
--
-- The cached columns (lib/verify/lookup.ts COLUMNS and ROOT_COLUMNS, lib/tokens/verify-token.ts)
-- are listed in each UPDATE OF where the verifier itself writes other columns of the table.
-- tests/key-change-counter.test.ts checks that every column the lookup reads is listed.
--
-- WARNING for the next migration: SQLite drops a table's triggers with the table. A migration
-- that rebuilds ApiKey, Tenant, AuthorizationGroup, RootKey or IssuedToken (migrate diff writes
-- CREATE "new_X", copy, DROP, RENAME for most column changes) must create that table's triggers
-- again, as below, or a revoke in the dashboard stops reaching a running verifier.

-- CreateTable
CREATE TABLE "KeyChangeCounter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0
);

INSERT INTO "KeyChangeCounter" ("id", "version") VALUES (1, 0);


-- ApiKey
CREATE TRIGGER "KeyChangeCounter_ApiKey_insert" AFTER INSERT ON "ApiKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_ApiKey_update" AFTER UPDATE OF "id", "tenantId", "groupId", "name", "prefix", "previousPrefix", "status", "expiresAt", "ipAllowlist", "hash", "previousHash", "previousHashExpiresAt", "rateLimits", "credits", "creditsRefillAmount", "creditsRefillInterval", "creditsRefillDay", "creditsRefilledAt", "creditsVersion" ON "ApiKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_ApiKey_delete" AFTER DELETE ON "ApiKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;

-- Tenant
CREATE TRIGGER "KeyChangeCounter_Tenant_insert" AFTER INSERT ON "Tenant" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_Tenant_update" AFTER UPDATE ON "Tenant" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_Tenant_delete" AFTER DELETE ON "Tenant" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;

-- AuthorizationGroup
CREATE TRIGGER "KeyChangeCounter_AuthorizationGroup_insert" AFTER INSERT ON "AuthorizationGroup" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_AuthorizationGroup_update" AFTER UPDATE ON "AuthorizationGroup" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_AuthorizationGroup_delete" AFTER DELETE ON "AuthorizationGroup" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;

-- RootKey
CREATE TRIGGER "KeyChangeCounter_RootKey_insert" AFTER INSERT ON "RootKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_RootKey_update" AFTER UPDATE OF "id", "name", "prefix", "hash", "allTenants", "tenantIds", "status" ON "RootKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_RootKey_delete" AFTER DELETE ON "RootKey" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;

-- IssuedToken: no INSERT trigger. No cache holds a token that does not exist yet (an unknown jti
-- is never cached), and each token exchange inserts one: it must not empty every cache.
CREATE TRIGGER "KeyChangeCounter_IssuedToken_update" AFTER UPDATE OF "id", "tenantId", "name", "groupId", "revokedAt", "createdByKeyId" ON "IssuedToken" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "KeyChangeCounter_IssuedToken_delete" AFTER DELETE ON "IssuedToken" BEGIN
  UPDATE "KeyChangeCounter" SET "version" = "version" + 1 WHERE "id" = 1;
END;
