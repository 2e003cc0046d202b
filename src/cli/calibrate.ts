import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine } from '../core/answer/index.ts';
import { answerProbability, FEATURE_NAMES, type DecisionModel } from '../core/answer/decide.ts';
import { fitBoostedTrees } from './fit-trees.ts';
import { DEFAULT_RANKING, type RankingParameters } from '../core/answer/retrieve.ts';
import { paragraphsOnly, type EvalQuestion } from '../core/eval.ts';
import { articleKnowledge, suiteQuestions, type SquadArticle } from '../core/eval-uncurated.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';
import { readSquadArticles } from './squad-data.ts';
import { describeError } from '../core/errors.ts';

const USAGE = `Usage: npm run calibrate -- [--tune] [--write]

Fits the answer-or-decline model on the SQuAD tuning articles: each article's own questions (and
the same with typos) are to be answered, as many questions of the other articles declined.
  --tune    first search the ranking parameters (k1, b, sentence and proximity weights)
  --cross-validate  also fit on three quarters of the articles and measure on the rest
  --write   write the fitted model to src/core/answer/decision-model.json`;

const MODEL_FILE = path.resolve(import.meta.dirname, '../core/answer/decision-model.json');
/** The share of other articles' questions the fitted threshold must decline on the tuning data. */
const TARGET_DECLINED = 0.975;
const ROUNDS = 2;
/** How much the near-topic negatives weigh in the fit beside the other articles' questions. */
const NEAR_TOPIC_WEIGHT = 0.25;
/** There are few of them beside SQuAD's thousands, and they are what the bot is asked. */
const PEOPLES_QUESTIONS_WEIGHT = 10;
const QUESTIONS_DIR = path.resolve(import.meta.dirname, '../../tests/questions');
/**
 * People's questions the fit may see: the Westminster tuning set (curated knowledge) and the
 * harbour report's set (facts found by add-report). The other sets stay held out, never fitted.
 */
const PEOPLES_SETS = [
  { reportId: 'westminster-attack', file: path.join(QUESTIONS_DIR, 'questions.json') },
  { reportId: 'harbour-bridge-protest', file: path.join(QUESTIONS_DIR, 'harbour-bridge-protest.json') },
];

interface Sample {
  article: number;
  /** How much it counts in the fit (people's questions on the Westminster report count more than SQuAD's). */
  weight?: number;
  features: number[];
  label: 0 | 1;
  /** A question near the topic whose answer was hidden (the rest are other articles' questions). */
  near?: boolean;
}

function engines(articles: readonly SquadArticle[]): AnswerEngine[] {
  return articles.map((article) => new AnswerEngine(articleKnowledge(article), { answerCacheSize: 0 }));
}

/** Share of own questions whose best-ranked document is the paragraph they were written about. */
function firstRate(articles: readonly SquadArticle[], built: readonly AnswerEngine[], ranking: RankingParameters): number {
  let right = 0;
  let total = 0;
  built.forEach((engine, index) => {
    for (const { question, paragraph } of suiteQuestions(articles, index).own) {
      total++;
      const top = engine.inspect(question, ranking).ranked[0];
      // Paragraph-only reports: document i is paragraph i + 1.
      if (top && top.doc + 1 === paragraph) right++;
    }
  });
  return right / Math.max(1, total);
}

function tune(articles: readonly SquadArticle[], built: readonly AnswerEngine[]): RankingParameters {
  let best = { ranking: DEFAULT_RANKING, rate: firstRate(articles, built, DEFAULT_RANKING) };
  console.log(`default ${JSON.stringify(DEFAULT_RANKING)}: ${(best.rate * 100).toFixed(2)}%`);
  // Coordinate search: one parameter at a time over a grid, twice round.
  const grids: Record<keyof RankingParameters, number[]> = {
    k1: [0.6, 0.9, 1.2, 1.5, 1.8, 2.2],
    b: [0.3, 0.5, 0.65, 0.75, 0.85, 1],
    sentenceWeight: [0, 0.5, 1, 1.5, 2, 3],
    proximityWeight: [0, 0.25, 0.5, 0.8, 1.2],
    informationExponent: [0, 0.5, 1, 1.5],
    answerKindWeight: [0, 0.15, 0.3, 0.6, 1],
    factKindBoost: [1.3],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of Object.keys(grids) as Array<keyof RankingParameters>) {
      for (const value of grids[key]) {
        const ranking = { ...best.ranking, [key]: value };
        const rate = firstRate(articles, built, ranking);
        if (rate > best.rate) {
          best = { ranking, rate };
          console.log(`better ${JSON.stringify(ranking)}: ${(rate * 100).toFixed(2)}%`);
        }
      }
    }
  }
  return best.ranking;
}

function samples(articles: readonly SquadArticle[], built: readonly AnswerEngine[]): Sample[] {
  return built.flatMap((engine, index) => {
    const { own, typos, offTopic } = suiteQuestions(articles, index);
    const features = (question: string): number[] => engine.inspect(question).features;
    const article = index;
    return [
      ...own.map(({ question }) => ({ article, features: features(question), label: 1 as const })),
      ...typos.map(({ question }) => ({ article, features: features(question), label: 1 as const })),
      // Two draws of the other articles' questions: as many negatives as positives.
      ...offTopic.map(({ question }) => ({ article, features: features(question), label: 0 as const })),
      ...suiteQuestions(articles, index, 2).offTopic.map(({ question }) => ({ article, features: features(question), label: 0 as const })),
      // Near the topic: the article's own questions with the paragraph they were written about hidden.
      ...own.map(({ question, paragraph }) => ({
        article,
        features: engine.inspect(question, undefined, new Set([(paragraph ?? 0) - 1])).features,
        label: 0 as const,
        near: true,
      })),
    ];
  });
}

/** Few, shallow trees with large leaves: fitted on 15 of 20 articles, the rest measured, these overfit least. */
const BOOSTING = { rounds: 80, depth: 3, learningRate: 0.2, minLeafWeight: 20 };

function fitModel(data: readonly Sample[]): Omit<DecisionModel, 'threshold'> {
  const fitted = fitBoostedTrees(
    data.map((sample) => ({
      features: sample.features,
      label: sample.label,
      weight: sample.weight ?? (sample.near ? NEAR_TOPIC_WEIGHT : 1),
    })),
    BOOSTING,
  );
  return { features: [...FEATURE_NAMES], bias: Math.round(fitted.bias * 1e4) / 1e4, trees: fitted.trees };
}

function probability(model: Omit<DecisionModel, 'threshold'>, features: readonly number[]): number {
  return answerProbability(features, { ...model, threshold: 0 });
}

/** The threshold that declines TARGET_DECLINED of the other articles' questions. */
function thresholdFor(model: Omit<DecisionModel, 'threshold'>, data: readonly Sample[]): number {
  const negatives = data
    .filter((sample) => sample.label === 0 && !sample.near)
    .map((sample) => probability(model, sample.features))
    .sort((a, b) => a - b);
  return Math.round((negatives[Math.floor(negatives.length * TARGET_DECLINED)] ?? 0.5) * 1e4) / 1e4;
}

interface Rates {
  offTopicDeclined: number;
  nearDeclined: number;
  falselyDeclined: number;
}

function rates(model: Omit<DecisionModel, 'threshold'>, threshold: number, data: readonly Sample[]): Rates {
  const declinedShare = (subset: readonly Sample[]): number =>
    subset.filter((sample) => probability(model, sample.features) < threshold).length / Math.max(1, subset.length);
  return {
    offTopicDeclined: declinedShare(data.filter((sample) => sample.label === 0 && !sample.near)),
    nearDeclined: declinedShare(data.filter((sample) => sample.near)),
    falselyDeclined: declinedShare(data.filter((sample) => sample.label === 1 && sample.weight === undefined)),
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const describeRates = (r: Rates): string =>
  `other articles' questions declined ${percent(r.offTopicDeclined)}, own questions (and with typos) declined ${percent(r.falselyDeclined)}, own with their paragraph hidden declined ${percent(r.nearDeclined)}`;

/** Fits on all but a fold of articles and measures on that fold: what unseen articles should expect. */
function crossValidate(data: readonly Sample[], folds = 4): Rates {
  const sum: Rates = { offTopicDeclined: 0, nearDeclined: 0, falselyDeclined: 0 };
  for (let fold = 0; fold < folds; fold++) {
    const heldOut = (sample: Sample): boolean => sample.article % folds === fold;
    const training = data.filter((sample) => !heldOut(sample));
    const model = fitModel(training);
    const measured = rates(model, thresholdFor(model, training), data.filter(heldOut));
    for (const key of Object.keys(sum) as Array<keyof Rates>) sum[key] += measured[key] / folds;
  }
  return sum;
}

/**
 * People's questions (their own words, typos, near-topic questions the report does not answer),
 * each set on its report's knowledge as it is and on its paragraphs alone.
 */
function peoplesQuestions(firstArticle: number): Sample[] {
  const knowledge = loadKnowledge();
  return PEOPLES_SETS.flatMap(({ reportId, file }, index) => {
    const questions = JSON.parse(readFileSync(file, 'utf8')) as EvalQuestion[];
    const alone = { reports: knowledge.reports.filter((report) => report.meta.id === reportId) };
    if (alone.reports.length === 0) throw new Error(`no report ${reportId} in the knowledge for ${path.basename(file)}`);
    return [alone, paragraphsOnly(alone)].flatMap((variant) => {
      const engine = new AnswerEngine(variant, { answerCacheSize: 0 });
      return questions.map((question) => ({
        article: firstArticle + index,
        features: engine.inspect(question.question).features,
        label: question.offTopic ? (0 as const) : (1 as const),
        weight: PEOPLES_QUESTIONS_WEIGHT,
      }));
    });
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      tune: { type: 'boolean' },
      write: { type: 'boolean' },
      'cross-validate': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const articles = readSquadArticles();
  const built = engines(articles);
  if (values.tune)
    console.log(`best ranking: ${JSON.stringify(tune(articles, built))} (set DEFAULT_RANKING in src/core/answer/retrieve.ts)`);
  const data = [...samples(articles, built), ...peoplesQuestions(articles.length)];
  if (values['cross-validate']) console.log(`cross-validated by article (4 folds): ${describeRates(crossValidate(data))}`);
  const model = fitModel(data);
  const threshold = thresholdFor(model, data);
  console.log(`fitted on all ${articles.length} articles, threshold ${threshold}: ${describeRates(rates(model, threshold, data))}`);
  if (values.write) {
    writeFileSync(MODEL_FILE, `${JSON.stringify({ ...model, threshold })}\n`);
    console.log(`wrote ${path.relative(process.cwd(), MODEL_FILE)}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`calibrate: ${describeError(error)}\n\n${USAGE}`);
  process.exitCode = 1;
}
