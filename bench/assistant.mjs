// Parsing speed of the assistant: every corpus phrase, many times, against a floor in the same
// run (lower-casing and one regular-expression test of the same phrase: the least any parser
// does). Run: node --import tsx bench/assistant.mjs
import { readFileSync } from "node:fs";
import { parseRequest } from "../lib/assistant/parse.ts";

const corpus = JSON.parse(readFileSync(new URL("../lib/assistant/corpus.json", import.meta.url), "utf8"));
const now = new Date(corpus.now);
const ROUNDS = Number(process.env.ROUNDS ?? 50);

function time(fn) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of corpus.cases) {
      const started = process.hrtime.bigint();
      fn(c.text);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
  return { mean, p99: samples[Math.floor(samples.length * 0.99)], max: samples.at(-1) };
}

for (const c of corpus.cases) parseRequest(c.text, corpus.context, now); // warm up
const floor = time((text) => /\brevoke\b/.test(text.toLowerCase()));
const parser = time((text) => parseRequest(text, corpus.context, now));
const ms = (v) => `${v.toFixed(3)} ms`;
console.log(`phrases: ${corpus.cases.length} x ${ROUNDS} rounds`);
console.log(`floor : mean ${ms(floor.mean)}  p99 ${ms(floor.p99)}`);
console.log(`parser: mean ${ms(parser.mean)}  p99 ${ms(parser.p99)}  max ${ms(parser.max)}  (budget 5 ms)`);
