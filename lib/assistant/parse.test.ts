import { describe, expect, it } from "vitest";
import { EXPIRATION_PRESETS } from "@/lib/api-keys/schemas";
import corpus from "./corpus.json";
import { parseRequest, PRESETS } from "./parse";
import { DESTRUCTIVE_KINDS, type AssistantContext, type ProposedAction } from "./types";

// chrono-node reads dates in the local zone; the corpus's dates are written for UTC.
process.env.TZ = "UTC";

const context = corpus.context as AssistantContext;
const now = new Date(corpus.now);

/** What the corpus compares: an answer's wording and a choice's question may change freely. */
function comparable(action: ProposedAction): unknown {
  if (action.kind === "answer") return { kind: "answer" };
  if (action.kind === "choose") return { kind: action.kind, intent: action.intent, candidates: action.candidates };
  return action;
}

describe("the assistant's corpus", () => {
  const results = corpus.cases.map((c) => ({ ...c, got: comparable(parseRequest(c.text, context, now)) }));

  it("holds at least 60 phrasings, among them things that must not act", () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(60);
    expect(corpus.cases.filter((c) => c.expect.kind === "answer").length).toBeGreaterThanOrEqual(10);
  });

  it("gets at least 95% of the phrasings exactly right", () => {
    const wrong = results.filter((r) => JSON.stringify(r.got) !== JSON.stringify(r.expect));
    const share = (results.length - wrong.length) / results.length;
    expect(share, JSON.stringify(wrong.map((w) => ({ text: w.text, got: w.got })), null, 1)).toBeGreaterThanOrEqual(0.95);
  });

  it("never proposes a destructive action that the corpus does not expect, nor on another key", () => {
    const misfires = results.filter(
      (r) =>
        DESTRUCTIVE_KINDS.includes((r.got as ProposedAction).kind) && JSON.stringify(r.got) !== JSON.stringify(r.expect),
    );
    expect(misfires).toEqual([]);
  });

  it("turns no question into a destructive action", () => {
    const questions = corpus.cases.filter((c) => /^(who|what|which|when|how|is|can|should)\b/i.test(c.text) || c.text.endsWith("?"));
    expect(questions.length).toBeGreaterThanOrEqual(10);
    for (const q of questions) expect(DESTRUCTIVE_KINDS).not.toContain(parseRequest(q.text, context, now).kind);
  });
});

describe("bad input", () => {
  it.each([
    ["empty", ""],
    ["only spaces and control characters", " \u0000\u0007\t\u001b "],
    ["10,000 characters", "revoke all keys ".repeat(625)],
    ["not a string", { kind: "revokeAll" }],
  ])("%s gets an answer with examples and no action", (_, input) => {
    const result = parseRequest(input, context, now);
    expect(result.kind).toBe("answer");
    if (result.kind === "answer") expect(result.examples.length).toBeGreaterThan(0);
  });

  it("reads control characters inside a request as spaces", () => {
    expect(parseRequest("revoke\u0000the\u0007erp\tkey", context, now)).toMatchObject({ kind: "revoke", key: { id: "k_erp" } });
  });

  it("matches only the keys it is given: another tenant's key name finds nothing", () => {
    expect(parseRequest("revoke Globex Billing Bridge", context, now).kind).toBe("answer");
    expect(parseRequest("rotate globex billing bridge", context, now).kind).toBe("answer");
  });
});

describe("fuzzy key names", () => {
  it("asks which key when two fit equally", () => {
    const result = parseRequest("rotate billing", context, now);
    expect(result).toMatchObject({ kind: "choose", intent: "rotate" });
    if (result.kind === "choose") expect(result.candidates.map((c) => c.id).sort()).toEqual(["k_billexp", "k_billsync"]);
  });

  it('finds nothing when a word said fits no word of the name ("mobile payments")', () => {
    expect(parseRequest("revoke mobile payments", context, now).kind).toBe("answer");
  });
});

it("knows the same expiration presets as the schema", () => {
  expect(PRESETS).toEqual(EXPIRATION_PRESETS.map((p) => ({ value: p.value, ms: p.ms })));
});

it("parses a phrase in well under 5 ms", () => {
  const started = performance.now();
  for (const c of corpus.cases) parseRequest(c.text, context, now);
  expect((performance.now() - started) / corpus.cases.length).toBeLessThan(5);
});
