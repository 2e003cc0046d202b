import type { AnswerKind } from './answer-kinds.ts';
import type { PassageIndex } from './passage-index.ts';
import type { QueryWord } from './question.ts';

/** Ranking parameters, tuned on the SQuAD tuning articles (`npm run calibrate -- --tune`). */
export interface RankingParameters {
  k1: number;
  b: number;
  /** Weight of the best sentence's own BM25 beside the whole paragraph's. */
  sentenceWeight: number;
  /** Weight of question words found next to each other in the passage. */
  proximityWeight: number;
  /** A word's BM25 weight is scaled by its information against everyday English to this power. */
  informationExponent: number;
  /** How much more a sentence counts when it holds the kind of answer asked for (a date for "when"). */
  answerKindWeight: number;
  /** How much a fact of the kind the question's form asks for ("who is" -> a person's card) is favoured. */
  factKindBoost: number;
}

export const DEFAULT_RANKING: RankingParameters = {
  k1: 0.6,
  b: 1,
  sentenceWeight: 1,
  proximityWeight: 0.5,
  informationExponent: 0.5,
  answerKindWeight: 0.6,
  factKindBoost: 1.3,
};

/** Only the best documents by BM25 are re-ranked with the sentence and proximity signals. */
const RERANK_DEPTH = 30;
/** Words at most this far apart in the passage count as near (stop words between them counted). */
const PROXIMITY_WINDOW = 3;

export interface Candidate {
  doc: number;
  score: number;
  /** Share of the question's information this document matches, each word by its best match's weight. */
  coverage: number;
  /** The same, in the document's best sentence. */
  sentenceCoverage: number;
  /** Terms of the question (and of its related words) found in the document. */
  matchedTerms: string[];
}

/** A question word's terms found in one document. */
interface WordMatch {
  word: QueryWord;
  terms: Array<{ term: string; weight: number }>;
}

/** Per-document accumulators of a query, reused by the next one: dense arrays, no objects per posting. */
class Scratch {
  readonly bm25: Float64Array;
  readonly covered: Float64Array;
  readonly wordBest: Float64Array;
  readonly wordWeight: Float64Array;
  readonly wordStamp: Int32Array;
  stamp = 0;
  /** BM25's length normalisation per document, `k1 * (1 - b + b * length / average)`, for the last k1 and b. */
  lengthNorms?: { k1: number; b: number; norms: Float64Array };

  constructor(size: number) {
    this.bm25 = new Float64Array(size);
    this.covered = new Float64Array(size);
    this.wordBest = new Float64Array(size);
    this.wordWeight = new Float64Array(size);
    this.wordStamp = new Int32Array(size);
  }
}

const scratchByIndex = new WeakMap<PassageIndex, Scratch>();

/** Scores every document holding a question term, then re-ranks the best with passage-level signals. */
export function retrieve(
  index: PassageIndex,
  words: readonly QueryWord[],
  parameters: RankingParameters,
  boost: (doc: number) => number,
  answerKind?: AnswerKind,
  excluded?: ReadonlySet<number>,
): Candidate[] {
  let scratch = scratchByIndex.get(index);
  if (!scratch) scratchByIndex.set(index, (scratch = new Scratch(index.size)));
  const { bm25, covered, wordBest, wordWeight, wordStamp } = scratch;
  const norms = lengthNorms(index, scratch, parameters);
  const k1Plus1 = parameters.k1 + 1;
  const totalInformation = words.reduce((sum, word) => sum + word.information, 0) || 1;
  const touched: number[] = [];
  for (const word of words) {
    const stamp = ++scratch.stamp;
    const wordDocs: number[] = [];
    const informationScale = word.information ** parameters.informationExponent;
    for (const [term, weight] of word.terms) {
      const idf = index.idf(term) * informationScale;
      for (const { doc, frequency } of index.postings(term)) {
        if (excluded?.has(doc)) continue;
        const contribution = (weight * idf * frequency * k1Plus1) / (frequency + (norms[doc] ?? 1));
        if (wordStamp[doc] !== stamp) {
          wordStamp[doc] = stamp;
          wordBest[doc] = contribution;
          wordWeight[doc] = weight;
          wordDocs.push(doc);
        } else {
          if (contribution > (wordBest[doc] ?? 0)) wordBest[doc] = contribution;
          if (weight > (wordWeight[doc] ?? 0)) wordWeight[doc] = weight;
        }
      }
    }
    for (const doc of wordDocs) {
      if (bm25[doc] === 0 && covered[doc] === 0) touched.push(doc);
      bm25[doc] = (bm25[doc] ?? 0) + (wordBest[doc] ?? 0);
      covered[doc] = (covered[doc] ?? 0) + word.information * (wordWeight[doc] ?? 0);
    }
  }
  const best = selectBest(touched, RERANK_DEPTH, (doc) => (bm25[doc] ?? 0) * boost(doc));
  const candidates = best.map((doc) => {
    const matches = matchesIn(index, doc, words);
    const sentence = bestSentence(index, doc, matches, parameters, totalInformation, answerKind);
    const proximity = proximityScore(index, doc, matches);
    const score = ((bm25[doc] ?? 0) + parameters.sentenceWeight * sentence.score + parameters.proximityWeight * proximity) * boost(doc);
    return {
      doc,
      score,
      coverage: (covered[doc] ?? 0) / totalInformation,
      sentenceCoverage: sentence.coverage,
      matchedTerms: matches.flatMap(({ terms }) => terms.map(({ term }) => term)),
    };
  });
  for (const doc of touched) {
    bm25[doc] = 0;
    covered[doc] = 0;
  }
  return candidates.sort((a, b) => b.score - a.score);
}

function lengthNorms(index: PassageIndex, scratch: Scratch, { k1, b }: RankingParameters): Float64Array {
  if (scratch.lengthNorms?.k1 !== k1 || scratch.lengthNorms.b !== b) {
    const norms = Float64Array.from(index.documents, (stats) => k1 * (1 - b + (b * stats.length) / Math.max(index.averageLength, 1e-9)));
    scratch.lengthNorms = { k1, b, norms };
  }
  return scratch.lengthNorms.norms;
}

/** The `limit` documents of highest key, best first, without sorting them all (a large corpus touches thousands). */
function selectBest(docs: readonly number[], limit: number, key: (doc: number) => number): number[] {
  if (docs.length <= limit) return [...docs].sort((a, b) => key(b) - key(a));
  const keyed = docs.map((doc) => ({ doc, value: key(doc) }));
  let cut = 0;
  // Partial selection: keep a sorted window of the best `limit`, replacing its worst when beaten.
  const kept = keyed.slice(0, limit).sort((a, b) => b.value - a.value);
  cut = kept[kept.length - 1]?.value ?? 0;
  for (let i = limit; i < keyed.length; i++) {
    const entry = keyed[i];
    if (!entry || entry.value <= cut) continue;
    let at = kept.length - 1;
    while (at > 0 && (kept[at - 1]?.value ?? 0) < entry.value) at--;
    kept.splice(at, 0, entry);
    kept.pop();
    cut = kept[kept.length - 1]?.value ?? 0;
  }
  return kept.map((entry) => entry.doc);
}

/** Each question word's terms that a document holds. */
function matchesIn(index: PassageIndex, doc: number, words: readonly QueryWord[]): WordMatch[] {
  const positions = index.documents[doc]?.positions;
  if (!positions) return [];
  const matches: WordMatch[] = [];
  for (const word of words) {
    let terms: WordMatch['terms'] | undefined;
    for (const [term, weight] of word.terms) {
      if (!positions.has(term)) continue;
      (terms ??= []).push({ term, weight });
    }
    if (terms) matches.push({ word, terms });
  }
  return matches;
}

function saturate(frequency: number, length: number, averageLength: number, { k1, b }: RankingParameters): number {
  return (frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / Math.max(averageLength, 1e-9)));
}

/** The sentence of the document's own text that answers best: people ask about one statement. */
function bestSentence(
  index: PassageIndex,
  doc: number,
  matches: readonly WordMatch[],
  parameters: RankingParameters,
  totalInformation: number,
  answerKind?: AnswerKind,
) {
  let best = { score: 0, coverage: 0 };
  const stats = index.documents[doc];
  if (!stats) return best;
  for (const sentence of stats.sentences) {
    let score = 0;
    let covered = 0;
    for (const { word, terms } of matches) {
      let wordScore = 0;
      let wordWeight = 0;
      for (const { term, weight } of terms) {
        const frequency = countBetween(stats.positions.get(term) ?? [], sentence.start, sentence.end);
        if (frequency === 0) continue;
        const contribution =
          weight *
          index.idf(term) *
          word.information ** parameters.informationExponent *
          saturate(frequency, sentence.length, index.averageSentenceLength, parameters);
        if (contribution > wordScore) wordScore = contribution;
        if (weight > wordWeight) wordWeight = weight;
      }
      score += wordScore;
      covered += word.information * wordWeight;
    }
    if (answerKind && sentence.kinds.has(answerKind)) score *= 1 + parameters.answerKindWeight;
    if (score > best.score) best = { score, coverage: covered / totalInformation };
  }
  return best;
}

/** How many of the sorted positions fall in [start, end). */
function countBetween(positions: readonly number[], start: number, end: number): number {
  let count = 0;
  for (const position of positions) {
    if (position >= end) break;
    if (position >= start) count++;
  }
  return count;
}

/** Question words next to each other in the question and near each other in the passage: a phrase kept. */
function proximityScore(index: PassageIndex, doc: number, matches: readonly WordMatch[]): number {
  const positions = index.documents[doc]?.positions;
  if (!positions || matches.length < 2) return 0;
  const ordered = [...matches].sort((a, b) => a.word.position - b.word.position);
  let score = 0;
  for (let i = 1; i < ordered.length; i++) {
    const first = ordered[i - 1];
    const second = ordered[i];
    if (!first || !second) continue;
    const near = nearestDistance(termPositions(positions, first), termPositions(positions, second));
    if (near <= PROXIMITY_WINDOW) score += Math.min(first.word.idf, second.word.idf);
  }
  return score;
}

function termPositions(positions: ReadonlyMap<string, readonly number[]>, match: WordMatch): readonly number[] {
  if (match.terms.length === 1) return positions.get(match.terms[0]?.term ?? '') ?? [];
  return match.terms.flatMap(({ term }) => positions.get(term) ?? []).sort((a, b) => a - b);
}

/** The smallest gap between two sorted lists of positions (a word never counts as near itself). */
function nearestDistance(first: readonly number[], second: readonly number[]): number {
  let nearest = Infinity;
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) {
    const a = first[i] ?? 0;
    const b = second[j] ?? 0;
    if (a !== b) nearest = Math.min(nearest, Math.abs(a - b));
    if (a < b) i++;
    else j++;
  }
  return nearest;
}
