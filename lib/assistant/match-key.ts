import { FILLER_WORDS } from "./vocabulary";
import type { AssistantKey, KeyRef } from "./types";

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one
 * substring): insertions, deletions, substitutions and swaps of neighbours each cost 1. Key
 * names are a handful of short words, so this 20-line function does what a fuzzy-search
 * library would, without its weight in the browser bundle or its scoring that is hard to
 * explain ("why did 'erp' pick that key?").
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Typos allowed for a word of this length: none for short words ("app" must not match "api"). */
const tolerance = (word: string) => (word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0);

export const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\s-]/gu, " ")
    .split(/[\s-]+/)
    .filter(Boolean);

function wordMatches(said: string, nameWord: string): boolean {
  if (said === nameWord) return true;
  // A word said in part ("sched" for "scheduler") counts when it is at least 4 letters.
  if (said.length >= 4 && nameWord.startsWith(said)) return true;
  return editDistance(said, nameWord) <= Math.min(tolerance(said), tolerance(nameWord));
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
  for (const key of keys) {
    const score = scoreKey(said, key);
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

function scoreKey(said: string[], key: AssistantKey): number {
  if (said.includes(key.prefix.toLowerCase())) return 10;
  const nameWords = words(key.name);
  if (nameWords.length === 0) return 0;
  const joinedName = nameWords.join("");
  const joinedSaid = said.join("");
  // "erpintegration", or the whole name with a typo or two.
  if (joinedSaid === joinedName) return 5;
  if (joinedSaid.length >= 6 && editDistance(joinedSaid, joinedName) <= tolerance(joinedName)) return 4;
  const covered = new Set<number>();
  for (const word of said) {
    const index = nameWords.findIndex((n, i) => !covered.has(i) && wordMatches(word, n));
    if (index < 0) return 0;
    covered.add(index);
  }
  return covered.size / nameWords.length;
}
