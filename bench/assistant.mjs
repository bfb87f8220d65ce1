// Parsing speed of the assistant: every corpus phrase, many times, against a floor in the same
// run (lower-casing and one regular-expression test of the same phrase: the least any parser
// does). Run: node --import tsx bench/assistant.mjs
import { readFileSync } from "node:fs";
import { parseRequest } from "../lib/assistant/parse.ts";

const corpus = JSON.parse(readFileSync(new URL("../lib/assistant/corpus.json", import.meta.url), "utf8"));
const now = new Date(corpus.now);
const ROUNDS = Number(process.env.ROUNDS ?? 50);

// Wall time per phrase, and CPU time per phrase over the whole run: on a loaded machine the
// wall time includes waiting for a core, the CPU time does not.
function time(fn, cases = corpus.cases) {
  const samples = [];
  const cpu = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const started = process.hrtime.bigint();
      fn(c.text);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
  const cpuMs = (used.user + used.system) / 1000 / samples.length;
  return { mean, cpuMs, p99: samples[Math.floor(samples.length * 0.99)], max: samples.at(-1) };
}

for (const c of corpus.cases) parseRequest(c.text, corpus.context, now); // warm up
const floor = time((text) => /\brevoke\b/.test(text.toLowerCase()));
const parser = time((text) => parseRequest(text, corpus.context, now));
const ms = (v) => `${v.toFixed(3)} ms`;
console.log(`phrases: ${corpus.cases.length} x ${ROUNDS} rounds`);
console.log(`floor : mean ${ms(floor.mean)}  p99 ${ms(floor.p99)}`);
console.log(`parser: mean ${ms(parser.mean)}  p99 ${ms(parser.p99)}  max ${ms(parser.max)}  CPU ${ms(parser.cpuMs)} a phrase (budget 5 ms)`);

// The largest tenant the bar loads (lib/assistant/queries.ts: the newest 5,000 keys).
const words = ["billing", "sync", "export", "mobile", "backend", "nightly", "partner", "staging", "webhook", "reports"];
const big = {
  ...corpus.context,
  keys: [
    ...corpus.context.keys,
    ...Array.from({ length: 5_000 - corpus.context.keys.length }, (_, i) => ({
      id: `k${i}`,
      name: `${words[i % 10]} ${words[(i * 7) % 10]} ${i}`,
      prefix: `kw_x${i}`,
      revoked: false,
    })),
  ],
};
const keyCases = corpus.cases.filter((c) => /^(revoke|rotate|rename|restrict|who)/i.test(c.text));
const large = time((text) => parseRequest(text, big, now), keyCases);
console.log(`parser, 5,000 keys, ${keyCases.length} phrases naming a key: mean ${ms(large.mean)}  p99 ${ms(large.p99)}  max ${ms(large.max)}  CPU ${ms(large.cpuMs)} a phrase`);
