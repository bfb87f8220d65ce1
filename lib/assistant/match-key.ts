import { FILLER_WORDS } from "./vocabulary";
import type { AssistantKey, KeyRef } from "./types";

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of neighbours each cost 1. Key
 * names are a handful of short words, so this 20-line function does what a fuzzy-search
 * library would, without its weight in the browser bundle or its scoring that is hard to
 * explain ("why did 'erp' pick that key?").
 */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  // Lengths further apart than the limit cannot come within it: skip the table (most keys).
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rolling rows, reused across calls: this runs for every word of every key.
  if (rows[0].length <= b.length) rows = [0, 1, 2].map(() => new Int32Array(b.length * 2 + 2));
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A row's smallest cell never shrinks further down (a swap reaches back one row, and
    // costs 1 more than the cell two rows up): past the limit, the rest cannot come back.
    if (rowMin > limit + 1) return limit + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  return previous[b.length];
}

/** Typos allowed for a word of this length: none for short words ("app" must not match "api"). */
const tolerance = (word: string) => (word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0);

export const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\s-]/gu, " ")
    .split(/[\s-]+/)
    .filter(Boolean);

// Key names are split once per key object (the bar keeps its snapshot), not once per phrase:
// a tenant can have 5,000 keys.
const nameWordCache = new WeakMap<AssistantKey, { words: string[]; joined: string; prefix: string }>();
function nameOf(key: AssistantKey) {
  let cached = nameWordCache.get(key);
  if (!cached) {
    const split = words(key.name);
    cached = { words: split, joined: split.join(""), prefix: key.prefix.toLowerCase() };
    nameWordCache.set(key, cached);
  }
  return cached;
}

function wordMatches(said: string, nameWord: string): boolean {
  if (said === nameWord) return true;
  // A word said in part ("sched" for "scheduler") counts when it is at least 4 letters.
  if (said.length >= 4 && nameWord.startsWith(said)) return true;
  const limit = Math.min(tolerance(said), tolerance(nameWord));
  return limit > 0 && editDistance(said, nameWord, limit) <= limit;
}

export type KeyMatch = { best: KeyRef[]; phraseWords: string[] };

/**
 * The keys whose name fits `phrase` best. Every meaningful word said must fit a word of the
 * name (or be the key's prefix); among those keys, the one whose name is covered most wins.
 * Two keys covered equally are both returned, and the caller asks which.
 */
export function matchKeys(phrase: string, keys: AssistantKey[]): KeyMatch {
  const said = words(phrase).filter((w) => !FILLER_WORDS.has(w));
  if (said.length === 0) return { best: [], phraseWords: said };
  let bestScore = 0;
  let best: KeyRef[] = [];
  const joinedSaid = said.join("");
  for (const key of keys) {
    const score = scoreKey(said, joinedSaid, key);
    if (score === 0) continue;
    const ref = { id: key.id, name: key.name, prefix: key.prefix };
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = [ref];
    } else if (Math.abs(score - bestScore) <= 1e-9) {
      best.push(ref);
    }
  }
  return { best, phraseWords: said };
}

function scoreKey(said: string[], joinedSaid: string, key: AssistantKey): number {
  const { words: nameWords, joined: joinedName, prefix } = nameOf(key);
  if (said.includes(prefix)) return 10;
  if (nameWords.length === 0) return 0;
  // "erpintegration", or the whole name with a typo or two.
  if (joinedSaid === joinedName) return 5;
  if (joinedSaid.length >= 6 && editDistance(joinedSaid, joinedName, tolerance(joinedName)) <= tolerance(joinedName)) return 4;
  const covered: boolean[] = [];
  for (const word of said) {
    const index = nameWords.findIndex((n, i) => !covered[i] && wordMatches(word, n));
    if (index < 0) return 0;
    covered[index] = true;
  }
  return said.length / nameWords.length;
}
