import Fuse from 'fuse.js';
import { everydayCount, isEnglishWord } from '../lexicon/index.ts';

/**
 * Corrects a misspelt word against the vocabulary of the knowledge. Fuse.js does the fuzzy
 * lookup over a small list (words of about the same length), and an edit-distance check keeps
 * only close corrections: Fuse's threshold is a share of characters, so on its own it lets
 * short words match unrelated ones.
 */
export class TypoCorrector {
  private readonly byLength = new Map<number, Fuse<string>>();
  private readonly cache = new Map<string, string | null>();
  private readonly names: ReadonlySet<string>;
  /** The words of each Fuse list, with the letters each holds (see letterMask), for the cheap test of hasCloseCandidate. */
  private readonly candidatesByLength = new Map<number, Array<{ word: string; letters: number }>>();

  /**
   * @param words every known surface word (lower-case)
   * @param names words that are proper names: people drop letters from names ("rud"), so
   *   short names may be corrected where short common words are not.
   */
  constructor(
    words: Iterable<string>,
    names: Iterable<string> = [],
    /** Among equally close words, the commoner is the likelier meant ("shoud" is "should", not "shout"). */
    private readonly commonness: (word: string) => number = everydayCount,
  ) {
    this.names = new Set(names);
    const buckets = new Map<number, string[]>();
    for (const word of new Set([...words, ...this.names])) {
      if (word.length < 3 || /^\d+$/.test(word)) continue;
      const bucket = buckets.get(word.length) ?? [];
      bucket.push(word);
      buckets.set(word.length, bucket);
    }
    for (const [length, bucket] of buckets) {
      this.candidatesByLength.set(
        length,
        bucket.map((word) => ({ word, letters: letterMask(word) })),
      );
      this.byLength.set(length, new Fuse(bucket, { includeScore: true, threshold: 0.4, ignoreLocation: true, isCaseSensitive: true }));
    }
  }

  /** The closest known word, or undefined when nothing is close enough. */
  correct(word: string): string | undefined {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    const corrected = this.findCorrection(word);
    this.cache.set(word, corrected ?? null);
    return corrected;
  }

  /**
   * A rare real word one edit from a far commoner known word is likelier that word mistyped
   * ("minster" for "minister", "manger" for "manager"); a common word is taken as meant.
   */
  correctRareWord(word: string): string | undefined {
    const count = this.commonness(word);
    if (word.length < 5 || count >= RARE_WORD_COUNT) return undefined;
    let best: { word: string; commonness: number } | undefined;
    for (let length = word.length - 1; length <= word.length + 1; length++) {
      for (const candidate of this.candidatesByLength.get(length) ?? []) {
        const commonness = this.commonness(candidate.word);
        if (commonness < COMMONER_BY * Math.max(count, 1) || (best && commonness <= best.commonness)) continue;
        if (editDistance(word, candidate.word) === 1) best = { word: candidate.word, commonness };
      }
    }
    return best?.word;
  }

  private findCorrection(word: string): string | undefined {
    // A dictionary word is only corrected towards a name, people misspell names into words ("rud").
    const onlyNames = isEnglishWord(word);
    const allowed = onlyNames ? 0 : allowedEdits(word.length);
    if (word.length < 3 || /\d/.test(word)) return undefined;
    let best: { word: string; distance: number; commonness: number; score: number } | undefined;
    for (let length = word.length - 2; length <= word.length + 2; length++) {
      const fuse = this.byLength.get(length);
      // Fuse's search is most of the cost of a first-seen word. Each length has its own list, so a
      // list without a word close enough to pass the test below could only give rejected candidates.
      if (!fuse || !this.hasCloseCandidate(word, length, onlyNames, allowed)) continue;
      for (const result of fuse.search(word, { limit: 5 })) {
        const candidate = result.item;
        const isName = this.names.has(candidate);
        // ...and only by a dropped letter: "men" is not a misspelt "Mel".
        if (onlyNames && (!isName || candidate.length <= word.length)) continue;
        const limit = isName ? Math.max(allowed, 1) : allowed;
        const distance = editDistance(word, candidate);
        if (distance > limit) continue;
        const score = result.score ?? 1;
        const commonness = this.commonness(candidate);
        const closer = !best || distance < best.distance;
        const asCloseButCommoner =
          best && distance === best.distance && (commonness > best.commonness || (commonness === best.commonness && score < best.score));
        if (closer || asCloseButCommoner) best = { word: candidate, distance, commonness, score };
      }
    }
    return best?.word;
  }

  /**
   * Whether some known word of a length passes the filters findCorrection applies to Fuse's results (a name when
   * only names may do, within the edit limit), whatever Fuse would rank. Letters that one word has
   * and the other lacks each need an edit, a cheap bound that spares most edit distances.
   */
  private hasCloseCandidate(word: string, length: number, onlyNames: boolean, allowed: number): boolean {
    const letters = letterMask(word);
    for (const candidate of this.candidatesByLength.get(length) ?? []) {
      const isName = this.names.has(candidate.word);
      if (onlyNames && (!isName || candidate.word.length <= word.length)) continue;
      const limit = isName ? Math.max(allowed, 1) : allowed;
      if (Math.abs(length - word.length) > limit) continue;
      if (bitCount(letters & ~candidate.letters) > limit || bitCount(candidate.letters & ~letters) > limit) continue;
      if (editDistance(word, candidate.word) <= limit) return true;
    }
    return false;
  }
}

/**
 * The letters a-z a word holds, one bit each; any other character sets bit 26. Sharing that bit
 * can hide a difference, never invent one, so the bound it gives stays a lower bound.
 */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const offset = word.charCodeAt(i) - 97;
    mask |= offset >= 0 && offset < 26 ? 1 << offset : 1 << 26;
  }
  return mask;
}

function bitCount(value: number): number {
  let count = 0;
  for (let rest = value; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/** Fewer SUBTLEX-US occurrences than this (of 51M words) makes a real word rare. */
const RARE_WORD_COUNT = 100;
/** How much commoner the known word must be for the rare one to be taken as its typo. */
const COMMONER_BY = 20;

/** Short words are only corrected when they are names; longer words tolerate more edits. */
function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 4) return 1;
  if (length <= 7) return 1;
  return 2;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
