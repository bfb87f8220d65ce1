#!/usr/bin/env node
// prisma/schema.prisma is the one source of Keyward's models. PostgreSQL's Prisma schema is
// derived from it (Prisma fixes the provider per schema file): same models, another provider
// and another generated client. Run after editing the models; a unit test checks it is current.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = path.join(root, "prisma", "schema.prisma");
export const TARGET = path.join(root, "prisma", "postgresql", "schema.prisma");

export function postgresSchema(source) {
  const out = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../lib/generated/prisma"', 'output       = "../../lib/generated/prisma-pg"');
  if (out === source || !out.includes('provider = "postgresql"') || !out.includes("prisma-pg")) {
    throw new Error("prisma/schema.prisma no longer has the lines pg-schema.mjs rewrites");
  }
  return "// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: edit that file instead.\n\n" + out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TARGET, postgresSchema(readFileSync(SOURCE, "utf8")));
  console.log("keyward: wrote prisma/postgresql/schema.prisma");
}
