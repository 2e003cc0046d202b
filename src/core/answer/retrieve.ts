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
}

export const DEFAULT_RANKING: RankingParameters = { k1: 0.6, b: 1, sentenceWeight: 1, proximityWeight: 0.5, informationExponent: 0.5, answerKindWeight: 0.6 };

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
  /** Terms of the question found in the document. */
  matchedTerms: string[];
}

/** A question word's terms found in one document. */
interface WordMatch {
  word: QueryWord;
  terms: Array<{ term: string; weight: number }>;
}

/** Scores every document holding a question term, then re-ranks the best with passage-level signals. */
export function retrieve(
  index: PassageIndex,
  words: readonly QueryWord[],
  parameters: RankingParameters,
  boost: (doc: number) => number,
  answerKind?: AnswerKind,
  excluded?: ReadonlySet<number>,
): Candidate[] {
  const totalInformation = words.reduce((sum, word) => sum + word.information, 0) || 1;
  const scores = new Map<number, { bm25: number; covered: number; matched: string[]; matches: WordMatch[] }>();
  for (const word of words) {
    const best = new Map<number, { contribution: number; weight: number; term: string; match: WordMatch }>();
    const informationScale = word.information ** parameters.informationExponent;
    for (const [term, weight] of word.terms) {
      const idf = index.idf(term) * informationScale;
      for (const posting of index.postings(term)) {
        if (excluded?.has(posting.doc)) continue;
        const contribution = weight * idf * saturate(posting.frequency, index.documents[posting.doc]?.length ?? 0, index.averageLength, parameters);
        const held = best.get(posting.doc);
        if (!held) {
          best.set(posting.doc, { contribution, weight, term, match: { word, terms: [{ term, weight }] } });
          continue;
        }
        held.match.terms.push({ term, weight });
        if (weight > held.weight) held.weight = weight;
        if (contribution > held.contribution) {
          held.contribution = contribution;
          held.term = term;
        }
      }
    }
    for (const [doc, { contribution, weight, term, match }] of best) {
      let entry = scores.get(doc);
      if (!entry) scores.set(doc, (entry = { bm25: 0, covered: 0, matched: [], matches: [] }));
      entry.bm25 += contribution;
      entry.covered += word.information * weight;
      entry.matched.push(term);
      entry.matches.push(match);
    }
  }
  const byBm25 = [...scores.entries()].sort((a, b) => b[1].bm25 * boost(b[0]) - a[1].bm25 * boost(a[0]));
  return byBm25
    .slice(0, RERANK_DEPTH)
    .map(([doc, entry]) => {
      const sentence = bestSentence(index, doc, entry.matches, parameters, totalInformation, answerKind);
      const proximity = proximityScore(index, doc, entry.matches);
      const score = (entry.bm25 + parameters.sentenceWeight * sentence.score + parameters.proximityWeight * proximity) * boost(doc);
      return { doc, score, coverage: entry.covered / totalInformation, sentenceCoverage: sentence.coverage, matchedTerms: entry.matched };
    })
    .sort((a, b) => b.score - a.score);
}

function saturate(frequency: number, length: number, averageLength: number, { k1, b }: RankingParameters): number {
  return (frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / Math.max(averageLength, 1e-9)));
}

/** The sentence of the document's own text that answers best: people ask about one statement. */
function bestSentence(index: PassageIndex, doc: number, matches: readonly WordMatch[], parameters: RankingParameters, totalInformation: number, answerKind?: AnswerKind) {
  let best = { score: 0, coverage: 0 };
  for (const sentence of index.documents[doc]?.sentences ?? []) {
    let score = 0;
    let covered = 0;
    for (const { word, terms } of matches) {
      let wordScore = 0;
      let wordWeight = 0;
      for (const { term, weight } of terms) {
        const frequency = sentence.terms.get(term);
        if (!frequency) continue;
        const contribution = weight * index.idf(term) * word.information ** parameters.informationExponent * saturate(frequency, sentence.length, index.averageSentenceLength, parameters);
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
