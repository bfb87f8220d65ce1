#!/usr/bin/env node
// Benchmark of the /tenant-api-keys page with 10 keys vs 10,000 keys in one tenant.
// `npm run bench:list` (by hand, not in CI). See bench/README.md.
//
//  1. Two fresh databases (bench/.data/list-10.db, list-10k.db), same build (.next-bench), two
//     production servers (scripts/server.mjs) on BENCH_PORT and BENCH_PORT+1.
//  2. Signs in as owner@acme.test through next-auth's credentials endpoint, warms up, then
//     times BENCH_N sequential GETs per scenario and database, interleaved so drift hits both.
//  3. EXPLAIN QUERY PLAN of the SQL that lib/api-keys/queries.ts really sends (captured from
//     Prisma's query log), and each statement's own time on both databases.
//  4. First-load JavaScript of the page: every /_next/static/chunks/*.js the signed-in HTML
//     references, gzip -9 sizes summed (Next 16's build no longer prints "First Load JS").
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import {
  DIST_DIR,
  ROOT,
  cookieHeader,
  ensureBuild,
  cpuSnapshot,
  cpuUsage,
  describeBuild,
  fmt,
  log,
  processCpuNs,
  machine,
  prepareDatabase,
  signIn,
  startServer,
  stats,
  table,
  waitForQuiet,
} from "./lib/common.mjs";
import { DAY, HOUR, insertKeys, tenantIds } from "./lib/keys.mjs";

const N = Number(process.env.BENCH_N || 40);
const WARMUP = Number(process.env.BENCH_WARMUP || 10);
const PORT = Number(process.env.BENCH_PORT || 3270);
const GOAL_RATIO = 1.5;

const FILTER = "status=active&expiry=expiring_soon&q=sync&sort=last_used";
const SCENARIOS = [
  { name: "page 1 (created desc)", search: () => "" },
  // Control: the same number of rows (10) rendered from both databases, so that only the
  // database's size differs.
  { name: "page 1, pageSize=10", search: () => "pageSize=10" },
  { name: "filtered", search: () => FILTER },
  { name: "search q=sync", search: () => "q=sync" },
  // The last page: OFFSET grows with the tenant's size (page 500 of 10,000 at 20 a page).
  { name: "last page", search: (db) => `page=${Math.max(1, Math.ceil(db.keys / 20))}` },
];

function stripComments(html) {
  return html.replace(/<!-- -->/g, "");
}

/** "1–20 of 10000 keys" as the page renders it: proof that the page (not sign-in) was served. */
function shownTotal(html) {
  const match = stripComments(html).match(/of (\d+) keys/);
  return match ? Number(match[1]) : null;
}

async function timePage(base, jar, search) {
  const url = `${base}/tenant-api-keys${search ? `?${search}` : ""}`;
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" });
  const ttfb = performance.now() - started;
  const html = await response.text();
  const total = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} (signed out?)`);
  return { ttfb, total, bytes: Buffer.byteLength(html), html };
}

// ---------------------------------------------------------------------------------------------
// Query plans

function toDriverParam(value) {
  // Prisma's query log shows DateTime parameters as ISO strings with Z; the adapter binds them
  // as the stored format (+00:00), and LIMIT/OFFSET as integers.
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) {
    return value.replace("Z", "+00:00");
  }
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

function captureSql(dbFile, tenantId, searches) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench", "lib", "capture-list-sql.ts"), dbFile, tenantId, ...searches],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" }, maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`capturing the list SQL failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function timeStatement(dbFile, sql, params, runs = 30) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const statement = db.prepare(sql);
    for (let i = 0; i < 3; i++) statement.all(...params);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      statement.all(...params);
      samples.push(performance.now() - t);
    }
    return stats(samples).p50;
  } finally {
    db.close();
  }
}

function queryPlans(small, large) {
  const searches = [...new Set(SCENARIOS.map((s) => s.search(large)))];
  const smallSearches = [...new Set(SCENARIOS.map((s) => s.search(small)))];
  const capturedLarge = captureSql(large.file, large.tenantId, searches);
  const capturedSmall = captureSql(small.file, small.tenantId, smallSearches);
  const db = new Database(large.file, { readonly: true });
  const out = [];
  try {
    for (let i = 0; i < capturedLarge.length; i++) {
      const q = capturedLarge[i];
      // The list's own statements; the AuthorizationGroup lookup by primary key is listed too.
      const params = q.params.map(toDriverParam);
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${q.query}`).all(...params).map((row) => row.detail);
      const scans = plan.filter((d) => /^SCAN (main\.)?`?ApiKey`?(\s|$)/.test(d) && !/USING (COVERING )?INDEX/.test(d));
      const indexes = [...new Set(plan.flatMap((d) => [...d.matchAll(/USING (?:COVERING )?INDEX (\S+)/g)].map((m) => m[1])))];
      const table = /FROM `main`\.`(\w+)`/.exec(q.query)?.[1] ?? "?";
      const kind = /^SELECT COUNT/.test(q.query) ? "count" : "select";
      // The same statement on the small database (same position in the capture; ids differ).
      const norm = (label) => label.replace(/page=\d+/, "page=N");
      const position = capturedLarge.slice(0, i).filter((c) => norm(c.label) === norm(q.label)).length;
      const twin = capturedSmall.filter((c) => norm(c.label) === norm(q.label))[position] ?? null;
      const msLarge = timeStatement(large.file, q.query, params);
      const msSmall = twin ? timeStatement(small.file, twin.query, twin.params.map(toDriverParam)) : NaN;
      out.push({
        label: q.label,
        table,
        kind,
        plan,
        fullScan: scans.length > 0,
        tempBtree: plan.some((d) => /TEMP B-TREE/.test(d)),
        indexes,
        msSmall,
        msLarge,
        sql: q.query,
        params,
      });
    }
  } finally {
    db.close();
  }
  return out;
}

/**
 * What-if: the same statements on a copy of the 10k database with candidate indexes (not in
 * the schema; a suggestion to evaluate). Prisma's counts select `id` (a TEXT primary key, not
 * the rowid), so an index only avoids the table when it also holds `id`.
 */
const CANDIDATE_INDEXES = [
  `CREATE INDEX "bench_tenant_status_expires" ON "ApiKey"("tenantId", "status", "expiresAt", "id")`,
  `CREATE INDEX "bench_tenant_created_id" ON "ApiKey"("tenantId", "createdAt", "id")`,
  `CREATE INDEX "bench_tenant_status_flags" ON "ApiKey"("tenantId", "status", "expiresAt", "lastUsedAt", "rotatedAt", "createdAt", "id")`,
];

function indexExperiment(large, plans) {
  const copy = large.file.replace(/\.db$/, "-indexed.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
  const source = new Database(large.file, { readonly: true });
  source.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
  source.close();
  const db = new Database(copy);
  try {
    for (const sql of CANDIDATE_INDEXES) db.exec(sql);
  } finally {
    db.close();
  }
  const ro = new Database(copy, { readonly: true });
  try {
    return plans
      .filter((p) => p.table === "ApiKey")
      .map((p) => {
        const plan = ro.prepare(`EXPLAIN QUERY PLAN ${p.sql}`).all(...p.params).map((row) => row.detail);
        const indexes = [...new Set(plan.flatMap((d) => [...d.matchAll(/USING (?:COVERING )?INDEX (\S+)/g)].map((m) => m[1])))];
        return { label: p.label, kind: p.kind, before: p.msLarge, after: timeStatement(copy, p.sql, p.params), indexes, tempBtree: plan.some((d) => /TEMP B-TREE/.test(d)) };
      });
  } finally {
    ro.close();
  }
}

// ---------------------------------------------------------------------------------------------
// First-load JS

function firstLoadJs(html) {
  const scriptTags = [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((m) => ({ attrs: m[1], src: /\bsrc="([^"]+)"/.exec(m[1])?.[1] }))
    .filter((s) => s.src);
  const noModule = new Set(scriptTags.filter((s) => /nomodule/i.test(s.attrs)).map((s) => s.src));
  // Every chunk the document references: <script src>, <link rel=preload as=script>, and the
  // client-component chunks named in the inlined RSC payload (loaded before hydration).
  const referenced = new Set();
  for (const m of html.matchAll(/\/_next\/(static\/chunks\/[A-Za-z0-9_.\-~/]+?\.js)/g)) referenced.add(m[1]);
  for (const m of html.matchAll(/\\?"(static\/chunks\/[A-Za-z0-9_.\-~/]+?\.js)\\?"/g)) referenced.add(m[1]);
  const files = [];
  for (const rel of referenced) {
    if (noModule.has(`/_next/${rel}`)) continue;
    const file = path.join(ROOT, DIST_DIR, rel);
    if (!existsSync(file)) {
      files.push({ rel, raw: NaN, gzip: NaN, missing: true });
      continue;
    }
    const content = readFileSync(file);
    files.push({ rel, raw: content.length, gzip: gzipSync(content, { level: 9 }).length, viaScriptTag: scriptTags.some((s) => s.src === `/_next/${rel}`) });
  }
  const sum = (list, key) => list.reduce((s, f) => s + (Number.isFinite(f[key]) ? f[key] : 0), 0);
  const polyfills = [...noModule].map((src) => {
    const content = readFileSync(path.join(ROOT, DIST_DIR, src.replace(/^\/_next\//, "")));
    return { rel: src, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  const css = [...new Set([...html.matchAll(/\/_next\/(static\/[^"'\s]+?\.css)/g)].map((m) => m[1]))].map((rel) => {
    const content = readFileSync(path.join(ROOT, DIST_DIR, rel));
    return { rel, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  return {
    files: files.sort((a, b) => b.gzip - a.gzip),
    rawTotal: sum(files, "raw"),
    gzipTotal: sum(files, "gzip"),
    scriptTagGzip: sum(files.filter((f) => f.viaScriptTag), "gzip"),
    polyfills,
    css,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const info = machine();
  const startedAt = Date.now();
  log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
  const build = ensureBuild();
  const buildPrintsFirstLoad = build.built ? /First Load JS/i.test(build.output) : null;

  log("preparing databases (migrate + seed + bulk keys) ...");
  const now = new Date();
  // One key in each database is certain to match the filtered scenario.
  const syncSoon = {
    name: "Warehouse Sync 00001",
    createdAt: now.getTime() - 10 * DAY,
    expiresAt: now.getTime() + 2 * DAY,
    lastUsedAt: now.getTime() - HOUR,
    revoked: false,
  };
  const dbs = [];
  for (const [label, file, total] of [
    ["10 keys", "list-10.db", 10],
    ["10k keys", "list-10k.db", 10_000],
  ]) {
    const dbFile = prepareDatabase(file);
    const seeded = tenantIdsCount(dbFile);
    const inserted = insertKeys(dbFile, "acme", total - seeded, { now, first: [syncSoon] });
    if (inserted.total !== total) throw new Error(`${file}: expected ${total} keys in Acme, found ${inserted.total}`);
    dbs.push({ label, file: dbFile, keys: total, tenantId: inserted.tenantId });
  }
  const [small, large] = dbs;

  log("query plans ...");
  const plans = queryPlans(small, large);
  const whatIf = indexExperiment(large, plans);

  log("starting two production servers ...");
  const servers = [];
  try {
    for (const [i, db] of dbs.entries()) {
      servers.push(await startServer({ port: PORT + i, dbFile: db.file }));
    }
    const jars = [];
    for (const server of servers) jars.push(await signIn(server.base, "owner@acme.test"));

    log(`warm-up: ${WARMUP} requests per scenario and server ...`);
    const checks = {};
    for (const scenario of SCENARIOS) {
      for (const [i, db] of dbs.entries()) {
        let last;
        for (let k = 0; k < WARMUP; k++) last = await timePage(servers[i].base, jars[i], scenario.search(db));
        const total = shownTotal(last.html);
        if (total === null) throw new Error(`${scenario.name} on ${db.label}: no "of N keys" in the page`);
        checks[`${scenario.name}|${db.label}`] = {
          matching: total,
          rows: (last.html.match(/<tr [^>]*data-key-id=/g) ?? []).length,
          kib: last.bytes / 1024,
        };
      }
    }

    await waitForQuiet({ pids: servers.map((s) => s.pid) });
    log(`measuring: ${N} sequential requests per scenario and server, interleaved ...`);
    const samples = {};
    const cpuBefore = cpuSnapshot([process.pid, ...servers.map((s) => s.pid)]);
    for (let round = 0; round < N; round++) {
      for (const scenario of SCENARIOS) {
        for (const [i, db] of dbs.entries()) {
          const ns = processCpuNs(servers[i].pid);
          const r = await timePage(servers[i].base, jars[i], scenario.search(db));
          const cpuMs = (processCpuNs(servers[i].pid) - ns) / 1e6;
          const key = `${scenario.name}|${db.label}`;
          (samples[key] ??= { total: [], ttfb: [], cpu: [], bytes: r.bytes }).total.push(r.total);
          samples[key].ttfb.push(r.ttfb);
          samples[key].cpu.push(cpuMs);
        }
      }
    }
    const load = cpuUsage(cpuBefore, cpuSnapshot([process.pid, ...servers.map((s) => s.pid)]));

    log("first-load JS ...");
    const page = await timePage(servers[1].base, jars[1], "");
    const js = firstLoadJs(page.html);

    // ---- report
    const lines = [];
    lines.push(`# bench:list — ${info.date}`);
    lines.push(`machine: ${info.cpus} cores (${info.cpuModel}), ${info.memGiB} GiB, node ${info.node}, ${info.platform}`);
    lines.push(`build: ${describeBuild()}`);
    lines.push(`requests: ${WARMUP} warm-up + ${N} timed per scenario and database (sequential, interleaved)`);
    lines.push(
      `while measuring, other processes on the machine used ${fmt(load.foreignCores, 2)} of ${info.cpus} cores on average ` +
        "(shared machine: wall-clock times are noisier than the server CPU times).",
    );
    lines.push("");
    lines.push("## Page time (full response, ms; client-side on localhost, so it is the server's time)");
    const rows = [];
    for (const scenario of SCENARIOS) {
      const a = stats(samples[`${scenario.name}|10 keys`].total);
      const b = stats(samples[`${scenario.name}|10k keys`].total);
      const ratio = b.p50 / a.p50;
      const c10 = checks[`${scenario.name}|10 keys`];
      const c10k = checks[`${scenario.name}|10k keys`];
      rows.push([
        scenario.name,
        `${c10.matching} / ${c10k.matching}`,
        `${c10.rows} / ${c10k.rows}`,
        `${fmt(c10.kib)} / ${fmt(c10k.kib)}`,
        fmt(a.p50),
        fmt(a.p95),
        fmt(b.p50),
        fmt(b.p95),
        fmt(ratio, 2) + "x",
        fmt(b.p95 / a.p95, 2) + "x",
        `${fmt(stats(samples[`${scenario.name}|10 keys`].cpu).mean)} / ${fmt(stats(samples[`${scenario.name}|10k keys`].cpu).mean)}`,
        ratio <= GOAL_RATIO ? "ok" : "MISSED",
      ]);
    }
    lines.push(
      table(["scenario", "matching keys (10 / 10k)", "rows shown", "HTML KiB", "10: p50", "10: p95", "10k: p50", "10k: p95", "ratio p50", "ratio p95", "server CPU ms/req (10 / 10k)", `goal ≤${GOAL_RATIO}x (p50)`], rows),
    );
    lines.push("");
    lines.push(
      "Scenario URLs: page 1 = /tenant-api-keys (20 a page); page 1, pageSize=10 = ?pageSize=10 (10 rows from both); filtered = ?" +
        FILTER +
        "; search = ?q=sync; last page = ?page=1 (10) / ?page=500 (10k).",
    );
    lines.push("");
    lines.push("## Query plans (EXPLAIN QUERY PLAN of the SQL Prisma sends, on the 10k database; statement time p50 in better-sqlite3)");
    lines.push(
      table(
        ["query", "statement", "index used", "full scan of ApiKey", "temp b-tree", "ms (10)", "ms (10k)"],
        plans.map((p) => [
          p.label.replace("listApiKeys ", "list ").replace(/\?$/, "? (page 1)"),
          `${p.kind} ${p.table}`,
          p.indexes.join(", ") || "(primary key / none)",
          p.fullScan ? "YES" : "no",
          p.tempBtree ? "yes" : "no",
          fmt(p.msSmall, 3),
          fmt(p.msLarge, 3),
        ]),
      ),
    );
    lines.push("");
    for (const p of plans.filter((p) => p.table === "ApiKey")) {
      lines.push(`- ${p.label} [${p.kind}]: ${p.plan.join(" / ")}`);
    }
    lines.push("");
    lines.push("## What-if: the same ApiKey statements with candidate indexes (copy of the 10k database)");
    lines.push(CANDIDATE_INDEXES.map((sql) => `- \`${sql}\``).join("\n"));
    lines.push("");
    lines.push(
      table(
        ["query", "statement", "ms now (10k)", "ms with candidates", "index used then", "temp b-tree then"],
        whatIf.map((w) => [w.label.replace("listApiKeys ", "list ").replace(/\?$/, "? (page 1)"), w.kind, fmt(w.before, 3), fmt(w.after, 3), w.indexes.join(", "), w.tempBtree ? "yes" : "no"]),
      ),
    );
    const sumNow = whatIf.reduce((t, w) => t + w.before, 0);
    const sumThen = whatIf.reduce((t, w) => t + w.after, 0);
    lines.push(`Sum over the listed statements: ${fmt(sumNow, 2)} ms now, ${fmt(sumThen, 2)} ms with the candidate indexes.`);
    lines.push("");
    lines.push("## First-load JavaScript of /tenant-api-keys (signed in as owner)");
    lines.push(
      `next build prints "First Load JS": ${buildPrintsFirstLoad === null ? "not checked (existing build reused; Next 16.4's route table has no size columns)" : buildPrintsFirstLoad ? "yes" : "no (Next 16)"}`,
    );
    lines.push(
      `JS chunks referenced by the HTML: ${js.files.length}; total ${fmt(js.rawTotal / 1024)} KiB raw, ` +
        `**${fmt(js.gzipTotal / 1024)} KiB gzip** (of which <script src> tags: ${fmt(js.scriptTagGzip / 1024)} KiB gzip).`,
    );
    lines.push(
      `Not counted: nomodule polyfills ${js.polyfills.map((p) => `${fmt(p.gzip / 1024)} KiB gzip`).join(", ") || "none"}; ` +
        `CSS ${js.css.map((c) => `${fmt(c.gzip / 1024)} KiB gzip`).join(", ") || "none"}. HTML of page 1 (10k): ${fmt(page.bytes / 1024)} KiB.`,
    );
    lines.push(table(["chunk", "raw KiB", "gzip KiB", "<script> tag"], js.files.map((f) => [f.rel, fmt(f.raw / 1024), fmt(f.gzip / 1024), f.viaScriptTag ? "yes" : "payload"])));
    lines.push("");
    lines.push("## Summary");
    lines.push(
      table(
        ["metric", "10 keys", "10,000 keys", "ratio / result"],
        [
          ...SCENARIOS.map((s) => {
            const a = stats(samples[`${s.name}|10 keys`].total);
            const b = stats(samples[`${s.name}|10k keys`].total);
            return [`${s.name}: p50 / p95 ms`, `${fmt(a.p50)} / ${fmt(a.p95)}`, `${fmt(b.p50)} / ${fmt(b.p95)}`, `${fmt(b.p50 / a.p50, 2)}x / ${fmt(b.p95 / a.p95, 2)}x`];
          }),
          ...SCENARIOS.map((s) => {
            const a = stats(samples[`${s.name}|10 keys`].cpu).mean;
            const b = stats(samples[`${s.name}|10k keys`].cpu).mean;
            return [`${s.name}: server CPU ms/request (mean)`, fmt(a), fmt(b), `${fmt(b / a, 2)}x`];
          }),
          (() => {
            // Same database (10k), 20 rows vs 10 rows on page 1: what one more table row costs.
            const c20 = stats(samples["page 1 (created desc)|10k keys"].cpu).mean;
            const c10 = stats(samples["page 1, pageSize=10|10k keys"].cpu).mean;
            const w20 = stats(samples["page 1 (created desc)|10k keys"].total).p50;
            const w10 = stats(samples["page 1, pageSize=10|10k keys"].total).p50;
            return ["one more table row (10k db, page 1: 20 vs 10 rows)", "", `${fmt((c20 - c10) / 10, 2)} ms CPU`, `${fmt((w20 - w10) / 10, 2)} ms wall (p50)`];
          })(),
          ...SCENARIOS.map((sc) => {
            // The page's statements for this scenario: its list query pair + the shared counts.
            const mine = plans.filter((p) => p.label === `listApiKeys ?${sc.search(large)}` || !p.label.startsWith("listApiKeys"));
            const a = mine.reduce((t, p) => t + (Number.isFinite(p.msSmall) ? p.msSmall : 0), 0);
            const b = mine.reduce((t, p) => t + p.msLarge, 0);
            return [`${sc.name}: SQL of the page's statements, ms (better-sqlite3)`, fmt(a, 2), fmt(b, 2), `+${fmt(b - a, 1)} ms`];
          }),
          ["ApiKey statements with a full table scan", "", "", String(plans.filter((p) => p.fullScan).length) + ` of ${plans.filter((p) => p.table === "ApiKey").length}`],
          ["ApiKey statements with a temp b-tree sort", "", "", String(plans.filter((p) => p.tempBtree && p.table === "ApiKey").length)],
          ["first-load JS (gzip)", "", "", `${fmt(js.gzipTotal / 1024)} KiB in ${js.files.length} chunks`],
        ],
      ),
    );
    lines.push("");
    lines.push(`took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    console.log(lines.join("\n"));
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** Keys the seed already put into Acme (the benchmark adds the rest). */
function tenantIdsCount(dbFile) {
  const { tenantId } = tenantIds(dbFile, "acme");
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) AS n FROM "ApiKey" WHERE tenantId = ?`).get(tenantId).n;
  } finally {
    db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
