-- Every key has an environment (issue 15, lib/environments/defaults.ts). No schema change: the
-- column stays nullable (signed tokens have none, and SQLite cannot add NOT NULL in place), and the
-- key mutations and the tenant creators keep it filled from now on.

-- A tenant without any environment gets the three defaults, as new tenants do.
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || lower(hex(randomblob(11))), t."id", e."name", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
FROM "Tenant" t, (SELECT 'production' AS "name" UNION ALL SELECT 'staging' UNION ALL SELECT 'development') e
WHERE NOT EXISTS (SELECT 1 FROM "Environment" x WHERE x."tenantId" = t."id");

-- Every tenant has production: the environment of keys created without one.
INSERT INTO "Environment" ("id", "tenantId", "name", "createdAt")
SELECT 'env' || lower(hex(randomblob(11))), t."id", 'production', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
FROM "Tenant" t
WHERE NOT EXISTS (SELECT 1 FROM "Environment" x WHERE x."tenantId" = t."id" AND x."name" = 'production');

-- Keys without an environment run in their tenant's production.
UPDATE "ApiKey"
SET "environmentId" = (SELECT e."id" FROM "Environment" e WHERE e."tenantId" = "ApiKey"."tenantId" AND e."name" = 'production')
WHERE "environmentId" IS NULL;
