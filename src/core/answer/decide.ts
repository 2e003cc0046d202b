import decisionModel from './decision-model.json' with { type: 'json' };
import type { QueryWord } from './question.ts';
import type { Candidate } from './retrieve.ts';

/**
 * Whether to answer at all: one model (boosted trees) over general features of the question and its best
 * passages, the same for every report. Fitted by `npm run calibrate`: SQuAD articles' own questions
 * (and with typos) to answer, other articles' questions and own ones with their paragraph hidden to
 * decline, and the Westminster tuning set as people ask.
 */
export const FEATURE_NAMES = [
  'coverage',
  'bestCoverageOfTop3',
  'sentenceCoverage',
  'unknownEnglishShare',
  'unknownTokenShare',
  'maxUnmatchedInformation',
  'contentWords',
  'margin',
  'strength',
  'coverageSquared',
  'unmatchedEnglishInformation',
  'unmatchedOtherInformation',
  'idfCoverage',
  'maxUnknownInformation',
  'exactShare',
] as const;

/** A regression tree over the features: split nodes down to leaf values (log-odds). */
export type DecisionTree = { leaf: number } | { feature: number; threshold: number; left: DecisionTree; right: DecisionTree };

/** Boosted trees: the log-odds of "the report answers this" are the bias plus every tree's leaf. */
export interface DecisionModel {
  features: readonly string[];
  bias: number;
  trees: DecisionTree[];
  threshold: number;
}

export function treeValue(tree: DecisionTree, features: readonly number[]): number {
  let node = tree;
  while (!('leaf' in node)) node = (features[node.feature] ?? 0) < node.threshold ? node.left : node.right;
  return node.leaf;
}

export function decisionFeatures(words: readonly QueryWord[], ranked: readonly Candidate[]): number[] {
  const top = ranked[0];
  const totalInformation = words.reduce((sum, word) => sum + word.information, 0) || 1;
  const unknownShare = (english: boolean): number =>
    words.filter((word) => word.match === 'none' && word.english === english).reduce((sum, word) => sum + word.information, 0) /
    totalInformation;
  const matched = new Set(top?.matchedTerms ?? []);
  const unmatched = words.filter((word) => ![...word.terms.keys()].some((term) => matched.has(term)));
  const second = ranked[1];
  const idfMass = words.reduce((sum, word) => sum + Math.max(word.idf, 0.1), 0) || 1;
  return [
    top?.coverage ?? 0,
    Math.max(0, ...ranked.slice(0, 3).map((candidate) => candidate.coverage)),
    top?.sentenceCoverage ?? 0,
    unknownShare(true),
    unknownShare(false),
    Math.max(0, ...unmatched.map((word) => word.information)),
    Math.log1p(words.length),
    top && second ? (top.score - second.score) / Math.max(top.score, 1e-9) : top ? 1 : 0,
    top ? top.score / idfMass : 0,
    (top?.coverage ?? 0) ** 2,
    unmatched.filter((word) => word.english).reduce((sum, word) => sum + word.information, 0),
    unmatched.filter((word) => !word.english).reduce((sum, word) => sum + word.information, 0),
    words.filter((word) => !unmatched.includes(word)).reduce((sum, word) => sum + Math.max(word.idf, 0.1), 0) / idfMass,
    Math.max(0, ...words.filter((word) => word.match === 'none').map((word) => word.information)),
    words.filter((word) => word.match === 'exact' && !unmatched.includes(word)).reduce((sum, word) => sum + word.information, 0) /
      totalInformation,
  ];
}

export function answerProbability(features: readonly number[], model: DecisionModel = decisionModel as DecisionModel): number {
  const margin = model.trees.reduce((sum, tree) => sum + treeValue(tree, features), model.bias);
  return 1 / (1 + Math.exp(-margin));
}

export function shouldAnswer(features: readonly number[], model: DecisionModel = decisionModel as DecisionModel): boolean {
  return answerProbability(features, model) >= model.threshold;
}
