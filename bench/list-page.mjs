#!/usr/bin/env node
// Benchmark of the /tenant-api-keys page with 10 keys vs 10,000 keys in one tenant, on SQLite
// and on PostgreSQL in the same run.
// `npm run bench:list` (by hand, not in CI). See bench/README.md.
//
//  1. Fresh databases with 10 and 10,000 keys in Acme: SQLite files (bench/.data/list-10.db,
//     list-10k.db) and, when PostgreSQL is available, databases keyward_bench_list_10_<pid> and
//     keyward_bench_list_10k_<pid> (BENCH_DATABASES picks; see bench/README.md). Same build
//     (.next-bench), one production server (scripts/server.mjs) per database on BENCH_PORT,
//     BENCH_PORT+1, ... (up to 4).
//  2. Signs in as owner@acme.test through next-auth's credentials endpoint, warms up, then
//     times BENCH_N sequential GETs per scenario and database, interleaved over all servers so
//     that drift hits every database alike.
//  3. SQLite: EXPLAIN QUERY PLAN of the SQL that lib/api-keys/queries.ts really sends (captured
//     from Prisma's query log), each statement's own time on both sizes, and a what-if with
//     candidate indexes. PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of the same captured statements
//     and their time through `pg`.
//  4. First-load JavaScript of the page: every /_next/static/chunks/*.js the signed-in HTML
//     references, gzip -9 sizes summed (Next 16's build no longer prints "First Load JS").
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import {
  cpuSnapshot,
  cpuUsage,
  describeBuild,
  DIST_DIR,
  dropTargets,
  ensureBuild,
  fmt,
  log,
  machine,
  postgresBackendPids,
  prepareTarget,
  processCpuNs,
  PROVIDER_LABEL,
  redactUrl,
  ROOT,
  selectDatabases,
  signIn,
  startServer,
  stats,
  stripComments,
  table,
  timePage,
  timeStatement,
  toDriverParam,
  waitForQuiet,
} from "./lib/common.mjs";
import { DAY, HOUR, countTenantKeys, insertKeys, withPg } from "./lib/keys.mjs";

const PAGE = "/tenant-api-keys";
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

/** "1–20 of 10000 keys" as the page renders it: proof that the page (not sign-in) was served. */
function shownTotal(html) {
  const match = stripComments(html).match(/of (\d+) keys/);
  return match ? Number(match[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Query plans

/** The list page's SQL as Prisma sends it, for one database: `db` is a SQLite file or a DATABASE_URL. */
function captureSql(db, tenantId, searches) {
  const url = /^(file:|postgres(ql)?:\/\/)/i.test(db) ? db : `file:${db}`;
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench", "lib", "capture-list-sql.ts"), url, tenantId, ...searches],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url }, maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`capturing the list SQL failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * The same statement on the other database: same scenario (page=N for the last page), same
 * kind and table, same SQL shape apart from the parameters (the select and the count of one
 * list run concurrently, so their order in the capture can differ between databases).
 */
function twinKey(captured) {
  const shape = captured.query.replace(/\$\d+/g, "?").replace(/\((\?,)*\?\)/g, "(?)");
  return `${captured.label.replace(/page=\d+/, "page=N")}|${shape}`;
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
      const position = capturedLarge.slice(0, i).filter((c) => twinKey(c) === twinKey(q)).length;
      const twin = capturedSmall.filter((c) => twinKey(c) === twinKey(q))[position] ?? null;
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
 * What-if: the same statements on a copy of the 10k database with candidate indexes (a
 * suggestion to evaluate). Prisma's counts select `id` (a TEXT primary key, not the rowid), so
 * an index only avoids the table when it also holds `id`. Since migration
 * 20261201000000_list_covering_indexes the schema has two of them under other names: a candidate
 * whose columns an existing ApiKey index already has (in the same order) is not created again
 * and is reported as already there; the others are created with IF NOT EXISTS.
 */
const CANDIDATE_INDEXES = [
  `CREATE INDEX IF NOT EXISTS "bench_tenant_status_expires" ON "ApiKey"("tenantId", "status", "expiresAt", "id")`,
  `CREATE INDEX IF NOT EXISTS "bench_tenant_created_id" ON "ApiKey"("tenantId", "createdAt", "id")`,
  `CREATE INDEX IF NOT EXISTS "bench_tenant_status_flags" ON "ApiKey"("tenantId", "status", "expiresAt", "lastUsedAt", "rotatedAt", "createdAt", "id")`,
];

function candidateColumns(sql) {
  const list = /ON "ApiKey"\s*\(([^)]*)\)/.exec(sql)?.[1] ?? "";
  return list.split(",").map((c) => c.trim().replace(/^"|"$/g, "")).join(",");
}

/** Existing indexes on ApiKey: name -> "col1,col2,...". */
function apiKeyIndexes(db) {
  const out = new Map();
  for (const { name } of db.prepare(`PRAGMA index_list("ApiKey")`).all()) {
    out.set(name, db.prepare(`PRAGMA index_info("${name.replace(/"/g, '""')}")`).all().map((c) => c.name).join(","));
  }
  return out;
}

function indexExperiment(large, plans) {
  const copy = large.file.replace(/\.db$/, "-indexed.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
  const source = new Database(large.file, { readonly: true });
  source.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
  source.close();
  const candidates = [];
  const db = new Database(copy);
  try {
    const existing = apiKeyIndexes(db);
    for (const sql of CANDIDATE_INDEXES) {
      const columns = candidateColumns(sql);
      const same = [...existing].find(([, cols]) => cols === columns)?.[0] ?? null;
      if (same) {
        candidates.push({ sql, created: false, existing: same });
        continue;
      }
      db.exec(sql);
      candidates.push({ sql, created: true, existing: null });
    }
  } finally {
    db.close();
  }
  const ro = new Database(copy, { readonly: true });
  try {
    const rows = plans
      .filter((p) => p.table === "ApiKey")
      .map((p) => {
        const plan = ro.prepare(`EXPLAIN QUERY PLAN ${p.sql}`).all(...p.params).map((row) => row.detail);
        const indexes = [...new Set(plan.flatMap((d) => [...d.matchAll(/USING (?:COVERING )?INDEX (\S+)/g)].map((m) => m[1])))];
        return { label: p.label, kind: p.kind, before: p.msLarge, after: timeStatement(copy, p.sql, p.params), indexes, tempBtree: plan.some((d) => /TEMP B-TREE/.test(d)) };
      });
    return Object.assign(rows, { candidates });
  } finally {
    ro.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) and statement times of the same captured SQL

/** Prisma logs DateTime parameters as ISO strings with Z; TIMESTAMP(3) holds the UTC wall clock. */
function toPgParam(value) {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) return value.replace("T", " ").replace("Z", "");
  return value;
}

/** The plan tree's nodes, depth first: "Index Only Scan using X", "Seq Scan on ApiKey", ... */
function pgPlanNodes(node, out = []) {
  const what = node["Node Type"] + (node["Index Name"] ? ` using ${node["Index Name"]}` : node["Relation Name"] ? ` on ${node["Relation Name"]}` : "");
  out.push({ what, heapFetches: node["Heap Fetches"], rows: node["Actual Rows"], sharedHit: node["Shared Hit Blocks"], sharedRead: node["Shared Read Blocks"] });
  for (const child of node.Plans ?? []) pgPlanNodes(child, out);
  return out;
}

async function timePgStatement(client, sql, params, runs = 30) {
  for (let i = 0; i < 3; i++) await client.query(sql, params);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await client.query(sql, params);
    samples.push(performance.now() - t);
  }
  return stats(samples).p50;
}

async function pgQueryPlans(small, large) {
  const searches = [...new Set(SCENARIOS.map((s) => s.search(large)))];
  const smallSearches = [...new Set(SCENARIOS.map((s) => s.search(small)))];
  const capturedLarge = captureSql(large.target.url, large.tenantId, searches);
  const capturedSmall = captureSql(small.target.url, small.tenantId, smallSearches);
  const smallTimes = await withPg(small.target, async (client) => {
    const out = [];
    for (const q of capturedSmall) out.push(await timePgStatement(client, q.query, q.params.map(toPgParam)));
    return out;
  });
  return withPg(large.target, async (client) => {
    const out = [];
    for (let i = 0; i < capturedLarge.length; i++) {
      const q = capturedLarge[i];
      const params = q.params.map(toPgParam);
      const [{ "QUERY PLAN": [explained] }] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.query}`, params)).rows;
      const text = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${q.query}`, params)).rows.map((r) => r["QUERY PLAN"]);
      const nodes = pgPlanNodes(explained.Plan);
      const position = capturedLarge.slice(0, i).filter((c) => twinKey(c) === twinKey(q)).length;
      const twinIndex = capturedSmall.map((c, k) => [c, k]).filter(([c]) => twinKey(c) === twinKey(q))[position]?.[1];
      out.push({
        label: q.label,
        table: /FROM "public"\."(\w+)"/.exec(q.query)?.[1] ?? "?",
        kind: /^SELECT COUNT/.test(q.query) ? "count" : "select",
        nodes,
        seqScan: nodes.some((n) => /^Seq Scan on ApiKey/.test(n.what)),
        sort: nodes.some((n) => /^(Incremental )?Sort/.test(n.what)),
        heapFetches: nodes.reduce((t, n) => t + (n.heapFetches ?? 0), 0),
        executionMs: explained["Execution Time"],
        planningMs: explained["Planning Time"],
        msSmall: twinIndex === undefined ? NaN : smallTimes[twinIndex],
        msLarge: await timePgStatement(client, q.query, params),
        text,
        sql: q.query,
        params,
      });
    }
    return out;
  });
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

const SIZES = [
  { size: "10", label: "10 keys", keys: 10, name: "list-10" },
  { size: "10k", label: "10k keys", keys: 10_000, name: "list-10k" },
];

const shortLabel = (label) => label.replace("listApiKeys ", "list ").replace(/\?$/, "? (page 1)");

async function main() {
  const info = machine();
  const startedAt = Date.now();
  log(`machine: ${info.cpus} cores, ${info.cpuModel}, node ${info.node}`);
  const build = ensureBuild();
  const buildPrintsFirstLoad = build.built ? /First Load JS/i.test(build.output) : null;
  const selection = await selectDatabases();
  const providers = selection.providers;

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
  const servers = [];
  try {
    for (const provider of providers) {
      for (const s of SIZES) {
        log(`preparing ${PROVIDER_LABEL[provider]} with ${s.keys} keys (migrate + seed + bulk keys) ...`);
        const target = await prepareTarget(provider, s.name, { adminUrl: selection.postgres.url });
        const seeded = await countTenantKeys(target, "acme");
        const inserted = await insertKeys(target, "acme", s.keys - seeded, { now, first: [syncSoon] });
        if (inserted.total !== s.keys) throw new Error(`${target.database}: expected ${s.keys} keys in Acme, found ${inserted.total}`);
        dbs.push({ ...s, provider, id: `${provider}|${s.size}`, name: `${PROVIDER_LABEL[provider]}, ${s.label}`, target, file: target.file, tenantId: inserted.tenantId });
      }
    }
    const pair = (provider) => dbs.filter((d) => d.provider === provider);

    let plans = null;
    let whatIf = null;
    let pgPlans = null;
    if (providers.includes("sqlite")) {
      log("query plans (SQLite) ...");
      const [small, large] = pair("sqlite");
      plans = queryPlans(small, large);
      whatIf = indexExperiment(large, plans);
    }
    if (providers.includes("postgresql")) {
      log("query plans (PostgreSQL: EXPLAIN ANALYZE) ...");
      pgPlans = await pgQueryPlans(...pair("postgresql"));
    }

    log(`starting ${dbs.length} production servers (ports ${PORT}-${PORT + dbs.length - 1}) ...`);
    for (const [i, db] of dbs.entries()) servers.push(await startServer({ port: PORT + i, target: db.target }));
    const jars = [];
    for (const server of servers) jars.push(await signIn(server.base, "owner@acme.test"));

    log(`warm-up: ${WARMUP} requests per scenario and server ...`);
    const checks = {};
    for (const scenario of SCENARIOS) {
      for (const [i, db] of dbs.entries()) {
        let last;
        for (let k = 0; k < WARMUP; k++) last = await timePage(servers[i].base, jars[i], PAGE, scenario.search(db));
        const total = shownTotal(last.html);
        if (total === null) throw new Error(`${scenario.name} on ${db.name}: no "of N keys" in the page`);
        checks[`${scenario.name}|${db.id}`] = {
          matching: total,
          rows: (last.html.match(/<tr [^>]*data-key-id=/g) ?? []).length,
          kib: last.bytes / 1024,
        };
      }
    }
    // The PostgreSQL backends serving each server (its pool is open after the warm-up): their
    // CPU is the database's share of a request.
    const backends = [];
    for (const db of dbs) backends.push(await postgresBackendPids(db.target));
    const allPids = [...servers.map((s) => s.pid), ...backends.flat()];

    await waitForQuiet({ pids: allPids });
    log(`measuring: ${N} sequential requests per scenario and server, interleaved over ${dbs.length} servers ...`);
    const samples = {};
    const cpuBefore = cpuSnapshot([process.pid, ...allPids]);
    // Backends come and go (pg closes a pool connection idle for 10 s): the list is refreshed
    // every round, and a backend that exits during a request counts 0 for it.
    const cpuNs = (pids) => new Map(pids.map((pid) => [pid, processCpuNs(pid)]));
    const cpuDeltaNs = (before, pids) =>
      pids.reduce((t, pid) => {
        const now = processCpuNs(pid);
        return t + (now > 0 && before.has(pid) ? Math.max(0, now - before.get(pid)) : 0);
      }, 0);
    for (let round = 0; round < N; round++) {
      if (round > 0) for (const [i, db] of dbs.entries()) if (db.provider === "postgresql") backends[i] = await postgresBackendPids(db.target);
      for (const scenario of SCENARIOS) {
        for (const [i, db] of dbs.entries()) {
          const ns = processCpuNs(servers[i].pid);
          const dbNs = cpuNs(backends[i]);
          const r = await timePage(servers[i].base, jars[i], PAGE, scenario.search(db));
          const cpuMs = (processCpuNs(servers[i].pid) - ns) / 1e6;
          const dbCpuMs = cpuDeltaNs(dbNs, backends[i]) / 1e6;
          const key = `${scenario.name}|${db.id}`;
          (samples[key] ??= { total: [], ttfb: [], cpu: [], dbCpu: [], bytes: r.bytes }).total.push(r.total);
          samples[key].ttfb.push(r.ttfb);
          samples[key].cpu.push(cpuMs);
          samples[key].dbCpu.push(dbCpuMs);
        }
      }
    }
    const load = cpuUsage(cpuBefore, cpuSnapshot([process.pid, ...allPids]));

    log("first-load JS ...");
    const jsIndex = dbs.findIndex((d) => d.size === "10k");
    const page = await timePage(servers[jsIndex].base, jars[jsIndex], PAGE, "");
    const js = firstLoadJs(page.html);

    // ---- report
    const st = (scenario, db, field = "total") => stats(samples[`${scenario.name}|${db.id}`][field]);
    const lines = [];
    lines.push(`# bench:list — ${info.date}`);
    lines.push(`machine: ${info.cpus} cores (${info.cpuModel}), ${info.memGiB} GiB, node ${info.node}, ${info.platform}`);
    lines.push(`build: ${describeBuild()}`);
    lines.push(
      "databases: " +
        dbs.map((d) => `${d.name} = ${d.provider === "sqlite" ? d.target.database : `${d.target.database}`}`).join("; ") +
        (selection.postgres.url ? ` (PostgreSQL ${selection.postgres.version}, ${redactUrl(selection.postgres.url)}, from ${selection.postgres.source})` : ""),
    );
    if (selection.skipped) lines.push(`**${selection.skipped}**`);
    lines.push(`requests: ${WARMUP} warm-up + ${N} timed per scenario and database (sequential, interleaved over ${dbs.length} servers)`);
    lines.push(
      `while measuring, other processes on the machine used ${fmt(load.foreignCores, 2)} of ${info.cpus} cores on average ` +
        "(shared machine: wall-clock times are noisier than the server CPU times; our PostgreSQL backends are not counted as other).",
    );
    lines.push("");
    for (const provider of providers) {
      const [small, large] = pair(provider);
      lines.push(`## Page time on ${PROVIDER_LABEL[provider]} (full response, ms; client-side on localhost, so it is the server's time)`);
      const rows = [];
      for (const scenario of SCENARIOS) {
        const a = st(scenario, small);
        const b = st(scenario, large);
        const ratio = b.p50 / a.p50;
        const c10 = checks[`${scenario.name}|${small.id}`];
        const c10k = checks[`${scenario.name}|${large.id}`];
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
          `${fmt(st(scenario, small, "cpu").mean)} / ${fmt(st(scenario, large, "cpu").mean)}`,
          ...(provider === "postgresql"
            ? [backends.flat().length ? `${fmt(st(scenario, small, "dbCpu").mean)} / ${fmt(st(scenario, large, "dbCpu").mean)}` : "n/a (remote)"]
            : []),
          ratio <= GOAL_RATIO ? "ok" : "MISSED",
        ]);
      }
      lines.push(
        table(
          [
            "scenario",
            "matching keys (10 / 10k)",
            "rows shown",
            "HTML KiB",
            "10: p50",
            "10: p95",
            "10k: p50",
            "10k: p95",
            "ratio p50",
            "ratio p95",
            "server CPU ms/req (10 / 10k)",
            ...(provider === "postgresql" ? ["PostgreSQL backends CPU ms/req (10 / 10k)"] : []),
            `goal ≤${GOAL_RATIO}x (p50)`,
          ],
          rows,
        ),
      );
      lines.push("");
    }
    lines.push(
      "Scenario URLs: page 1 = /tenant-api-keys (20 a page); page 1, pageSize=10 = ?pageSize=10 (10 rows from both); filtered = ?" +
        FILTER +
        "; search = ?q=sync; last page = ?page=1 (10) / ?page=500 (10k).",
    );
    lines.push("");

    if (providers.length > 1) {
      const [s10, s10k] = pair("sqlite");
      const [p10, p10k] = pair("postgresql");
      const pp = (a) => `${fmt(a.p50)} / ${fmt(a.p95)}`;
      lines.push("## SQLite vs PostgreSQL, same run (p50 / p95 ms; ratio = 10k / 10 keys)");
      lines.push(
        table(
          ["scenario", "SQLite 10", "SQLite 10k", "SQLite ratio", "PostgreSQL 10", "PostgreSQL 10k", "PostgreSQL ratio", "PG / SQLite p50 (10 / 10k)", "server CPU ms/req SQLite 10k / PG 10k (+ PG backends)"],
          SCENARIOS.map((sc) => {
            const [a, b, c, d] = [st(sc, s10), st(sc, s10k), st(sc, p10), st(sc, p10k)];
            return [
              sc.name,
              pp(a),
              pp(b),
              `${fmt(b.p50 / a.p50, 2)}x / ${fmt(b.p95 / a.p95, 2)}x`,
              pp(c),
              pp(d),
              `${fmt(d.p50 / c.p50, 2)}x / ${fmt(d.p95 / c.p95, 2)}x`,
              `${fmt(c.p50 / a.p50, 2)}x / ${fmt(d.p50 / b.p50, 2)}x`,
              `${fmt(st(sc, s10k, "cpu").mean)} / ${fmt(st(sc, p10k, "cpu").mean)} (+${fmt(st(sc, p10k, "dbCpu").mean)})`,
            ];
          }),
        ),
      );
      lines.push("");
    }

    if (plans) {
      lines.push("## SQLite query plans (EXPLAIN QUERY PLAN of the SQL Prisma sends, on the 10k database; statement time p50 in better-sqlite3)");
      lines.push(
        table(
          ["query", "statement", "index used", "full scan of ApiKey", "temp b-tree", "ms (10)", "ms (10k)"],
          plans.map((p) => [
            shortLabel(p.label),
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
      lines.push("## What-if (SQLite): the same ApiKey statements with candidate indexes (copy of the 10k database)");
      lines.push(
        whatIf.candidates
          .map((c) => `- \`${c.sql}\`: ${c.created ? "created" : `not created, the schema already has these columns as \`${c.existing}\``}`)
          .join("\n"),
      );
      lines.push("");
      if (whatIf.candidates.some((c) => c.created)) {
        lines.push(
          table(
            ["query", "statement", "ms now (10k)", "ms with candidates", "index used then", "temp b-tree then"],
            whatIf.map((w) => [shortLabel(w.label), w.kind, fmt(w.before, 3), fmt(w.after, 3), w.indexes.join(", "), w.tempBtree ? "yes" : "no"]),
          ),
        );
        const sumNow = whatIf.reduce((t, w) => t + w.before, 0);
        const sumThen = whatIf.reduce((t, w) => t + w.after, 0);
        lines.push(`Sum over the listed statements: ${fmt(sumNow, 2)} ms now, ${fmt(sumThen, 2)} ms with the candidate indexes.`);
      } else {
        lines.push("Every candidate is already in the schema: nothing to compare.");
      }
      lines.push("");
    }

    if (pgPlans) {
      lines.push(
        "## PostgreSQL query plans (EXPLAIN (ANALYZE, BUFFERS) of the SQL Prisma sends, on the 10k database, after VACUUM ANALYZE; statement time p50 through `pg` incl. the localhost round trip)",
      );
      lines.push(
        table(
          ["query", "statement", "plan (outer to inner)", "seq scan of ApiKey", "sort", "heap fetches", "EXPLAIN ANALYZE ms (10k)", "ms (10)", "ms (10k)"],
          pgPlans.map((p) => [
            shortLabel(p.label),
            `${p.kind} ${p.table}`,
            p.nodes.map((n) => n.what).join(" > "),
            p.seqScan ? "YES" : "no",
            p.sort ? "yes" : "no",
            p.heapFetches,
            fmt(p.executionMs, 3),
            fmt(p.msSmall, 3),
            fmt(p.msLarge, 3),
          ]),
        ),
      );
      lines.push("");
      const mainCount = pgPlans.find((p) => p.label === "listApiKeys ?" && p.kind === "count");
      const slowest = [...pgPlans].filter((p) => p.table === "ApiKey").sort((a, b) => b.executionMs - a.executionMs)[0];
      for (const [title, p] of [
        ["the list's total (page 1 count)", mainCount],
        ["the slowest ApiKey statement", slowest !== mainCount ? slowest : null],
      ]) {
        if (!p) continue;
        lines.push(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) of ${title}: ${p.label} [${p.kind}]`);
        lines.push("```");
        lines.push(p.sql);
        lines.push(`-- ${JSON.stringify(p.params)}`);
        lines.push(...p.text);
        lines.push("```");
      }
      lines.push("");
    }

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
        `CSS ${js.css.map((c) => `${fmt(c.gzip / 1024)} KiB gzip`).join(", ") || "none"}. HTML of page 1 (${dbs[jsIndex].name}): ${fmt(page.bytes / 1024)} KiB.`,
    );
    lines.push(table(["chunk", "raw KiB", "gzip KiB", "<script> tag"], js.files.map((f) => [f.rel, fmt(f.raw / 1024), fmt(f.gzip / 1024), f.viaScriptTag ? "yes" : "payload"])));
    lines.push("");
    lines.push("## Summary");
    const summary = [];
    for (const provider of providers) {
      const [small, large] = pair(provider);
      const P = PROVIDER_LABEL[provider];
      const statementPlans = provider === "sqlite" ? plans : pgPlans;
      summary.push(
        ...SCENARIOS.map((s) => {
          const a = st(s, small);
          const b = st(s, large);
          return [`${P}: ${s.name}: p50 / p95 ms`, `${fmt(a.p50)} / ${fmt(a.p95)}`, `${fmt(b.p50)} / ${fmt(b.p95)}`, `${fmt(b.p50 / a.p50, 2)}x / ${fmt(b.p95 / a.p95, 2)}x`];
        }),
        ...SCENARIOS.map((s) => {
          const a = st(s, small, "cpu").mean;
          const b = st(s, large, "cpu").mean;
          return [`${P}: ${s.name}: server CPU ms/request (mean)`, fmt(a), fmt(b), `${fmt(b / a, 2)}x`];
        }),
        (() => {
          // Same database (10k), 20 rows vs 10 rows on page 1: what one more table row costs.
          const c20 = stats(samples[`page 1 (created desc)|${large.id}`].cpu).mean;
          const c10 = stats(samples[`page 1, pageSize=10|${large.id}`].cpu).mean;
          const w20 = stats(samples[`page 1 (created desc)|${large.id}`].total).p50;
          const w10 = stats(samples[`page 1, pageSize=10|${large.id}`].total).p50;
          return [`${P}: one more table row (10k db, page 1: 20 vs 10 rows)`, "", `${fmt((c20 - c10) / 10, 2)} ms CPU`, `${fmt((w20 - w10) / 10, 2)} ms wall (p50)`];
        })(),
        ...SCENARIOS.map((sc) => {
          // The page's statements for this scenario: its list query pair + the shared counts.
          const mine = statementPlans.filter((p) => p.label === `listApiKeys ?${sc.search(large)}` || !p.label.startsWith("listApiKeys"));
          const a = mine.reduce((t, p) => t + (Number.isFinite(p.msSmall) ? p.msSmall : 0), 0);
          const b = mine.reduce((t, p) => t + p.msLarge, 0);
          return [`${P}: ${sc.name}: SQL of the page's statements, ms (${provider === "sqlite" ? "better-sqlite3" : "pg, sequential"})`, fmt(a, 2), fmt(b, 2), `+${fmt(b - a, 1)} ms`];
        }),
      );
      if (provider === "sqlite") {
        summary.push(
          ["SQLite: ApiKey statements with a full table scan", "", "", String(plans.filter((p) => p.fullScan).length) + ` of ${plans.filter((p) => p.table === "ApiKey").length}`],
          ["SQLite: ApiKey statements with a temp b-tree sort", "", "", String(plans.filter((p) => p.tempBtree && p.table === "ApiKey").length)],
        );
      } else {
        summary.push(
          ["PostgreSQL: ApiKey statements with a Seq Scan", "", "", String(pgPlans.filter((p) => p.seqScan).length) + ` of ${pgPlans.filter((p) => p.table === "ApiKey").length}`],
          ["PostgreSQL: ApiKey statements with a Sort node", "", "", String(pgPlans.filter((p) => p.sort && p.table === "ApiKey").length)],
        );
      }
    }
    summary.push(["first-load JS (gzip)", "", "", `${fmt(js.gzipTotal / 1024)} KiB in ${js.files.length} chunks`]);
    lines.push(table(["metric", "10 keys", "10,000 keys", "ratio / result"], summary));
    lines.push("");
    lines.push(`took ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    console.log(lines.join("\n"));
  } finally {
    for (const server of servers) await server.stop();
    await dropTargets(dbs.map((d) => d.target));
  }
}

main().catch(async (error) => {
  console.error(error);
  await dropTargets().catch(() => {});
  process.exit(1);
});
