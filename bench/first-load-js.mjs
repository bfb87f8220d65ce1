// First-load JavaScript of one dashboard route, from a build's manifests (no server needed):
// the root main files plus the route's entry chunks, gzip -9 each, summed. bench:list measures
// the same from the served HTML; this one is for a quick before/after of a client change.
// Run: node bench/first-load-js.mjs [distDir=.next-e2e] [route=/(dashboard)/tenant-api-keys/page]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? ".next-e2e";
const route = process.argv[3] ?? "/(dashboard)/tenant-api-keys/page";
const build = JSON.parse(readFileSync(join(dist, "build-manifest.json"), "utf8"));
globalThis.self = globalThis;
await import(join(process.cwd(), dist, "server/app", `${route}_client-reference-manifest.js`));
const manifest = globalThis.__RSC_MANIFEST[route];
const files = new Set([...build.rootMainFiles, ...(manifest.entryJSFiles[`[project]/app${route}`] ?? [])]);
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KiB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KiB gzip first-load JS of ${route} (${files.size} files, ${dist})`);
