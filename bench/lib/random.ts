/**
 * Seeded randomness: the synthetic corpora and questions must be identical on every run and
 * every machine, or numbers from two runs would not be comparable.
 */

export type Random = () => number;

/** mulberry32, the same generator the uncurated eval suite uses. */
export { seededRandom } from '../../src/core/eval-uncurated.ts';

/** An integer in [min, max], both included. */
export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}

/** Fisher-Yates, on a copy. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Draws items with Zipf-Mandelbrot frequencies, weight 1 / (rank + offset)^exponent: like
 * real text, a few words are in many paragraphs and most words are rare. This shapes the
 * postings lists, which is what a search engine's speed depends on. The offset flattens the
 * head: content words rank after the stop words in real text, so the most frequent of them
 * is not as frequent as rank 1 of a plain Zipf law would make it.
 */
export function zipfSampler<T>(random: Random, itemsByRank: readonly T[], exponent: number, offset = 0): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= itemsByRank.length; rank++) {
    total += 1 / (rank + offset) ** exponent;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    // Binary search for the first cumulative weight above the target.
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return itemsByRank[low] as T;
  };
}
