-- Every key has an environment (issue 15, lib/environments/defaults.ts). No schema change: the
-- column stays nullable (signed tokens have none, and SQLite cannot add NOT NULL in place), and the
-- key mutations and the tenant creators keep it filled from now on.

-- A tenant without any environment gets the three defaults, as new tenants do.
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || substr(md5(random()::text || t."id" || e."name"), 1, 22), t."id", e."name", CURRENT_TIMESTAMP
FROM "Tenant" t CROSS JOIN (VALUES ('production'), ('staging'), ('development')) AS e("name")
WHERE NOT EXISTS (SELECT 1 FROM "Environment" x WHERE x."tenantId" = t."id");

-- Every tenant has production: the environment of keys created without one.
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || substr(md5(random()::text || t."id" || 'production'), 1, 22), t."id", 'production', CURRENT_TIMESTAMP
FROM "Tenant" t
WHERE NOT EXISTS (SELECT 1 FROM "Environment" x WHERE x."tenantId" = t."id" AND x."name" = 'production');

-- Keys without an environment run in their tenant's production.
UPDATE "ApiKey" k
SET "environmentId" = e."id"
FROM "Environment" e
WHERE k."environmentId" IS NULL AND e."tenantId" = k."tenantId" AND e."name" = 'production';
