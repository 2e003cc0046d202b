import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine, type AnswerEngineOptions } from '../core/answer/index.ts';
import { DEFAULT_RANKING } from '../core/answer/retrieve.ts';
import { evaluate, paragraphsOnly, type EvalQuestion, type EvalReport } from '../core/eval.ts';
import { evaluateUncurated, type UncuratedReport } from '../core/eval-uncurated.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';
import type { Knowledge } from '../core/knowledge/types.ts';
import { miniSearch, plainBm25 } from './baselines.ts';
import { readSquadArticles } from './squad-data.ts';

const USAGE = `Usage: npm run eval -- [questions.json] [--summary] [--skip-uncurated] [--ablation]

With no file: every suite. The Westminster question sets with the curated knowledge and with
paragraphs only, and the uncurated suite (SQuAD articles as reports, with plain BM25 and
MiniSearch on the same data). With a file: that question set, and its misses.
  --summary          rates only (for held-out sets, whose questions must not steer tuning)
  --skip-uncurated   leave out the uncurated suite (about a minute)
  --ablation         each mechanism switched off in turn, on half the SQuAD articles and the Westminster sets`;

const QUESTIONS_DIR = path.resolve(import.meta.dirname, '../../tests/questions');
const TUNING_SET = path.join(QUESTIONS_DIR, 'questions.json');
const HELD_OUT_SETS = ['holdout.json', 'holdout-blind.json'].map((file) => path.join(QUESTIONS_DIR, file));

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function readQuestions(file: string): EvalQuestion[] {
  if (!existsSync(file)) throw new Error(`no question file at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as EvalQuestion[];
}

function printSet(label: string, report: EvalReport, withMisses: boolean): void {
  console.log(`${label}: ${report.onTopic} on topic, ${report.offTopic} off topic: first ${percent(report.firstRate)}, top 3 ${percent(report.top3Rate)}, off-topic declined ${percent(report.declinedRate)}`);
  if (!withMisses) return;
  for (const miss of report.misses) {
    const show = (value: number[] | 'declined'): string => (value === 'declined' ? 'declined' : `[${value.join(', ')}]`);
    console.log(`    ${JSON.stringify(miss.question)}  expected ${show(miss.expected)}  got ${show(miss.got)}`);
  }
}

function printUncurated(label: string, report: UncuratedReport): void {
  console.log(
    `  ${label.padEnd(12)} first ${percent(report.firstRate)}, top 3 ${percent(report.top3Rate)}, with typos ${percent(report.typoFirstRate)}, ` +
      `other articles' questions declined ${percent(report.offTopicDeclinedRate)}, falsely declined ${percent(report.falselyDeclinedRate)}`,
  );
}

/** Every mechanism off in turn: what each brings, measured on the same data in one run. */
const ABLATIONS: ReadonlyArray<{ name: string; options: AnswerEngineOptions }> = [
  { name: 'everything on', options: {} },
  { name: 'no WordNet relations', options: { mechanisms: { relatedWords: false } } },
  { name: 'no typo correction', options: { mechanisms: { typoCorrection: false } } },
  { name: 'no chat words', options: { mechanisms: { chatWords: false } } },
  { name: 'no best sentence', options: { ranking: { ...DEFAULT_RANKING, sentenceWeight: 0 } } },
  { name: 'no proximity', options: { ranking: { ...DEFAULT_RANKING, proximityWeight: 0 } } },
  { name: 'no everyday-English weighting', options: { ranking: { ...DEFAULT_RANKING, informationExponent: 0 } } },
  { name: 'no answer kinds', options: { ranking: { ...DEFAULT_RANKING, answerKindWeight: 0 } } },
  { name: 'no fact-kind boost', options: { ranking: { ...DEFAULT_RANKING, factKindBoost: 1 } } },
];

function ablation(knowledge: Knowledge): void {
  const articles = readSquadArticles().filter((_, index) => index % 2 === 0);
  const westminster = [TUNING_SET, ...HELD_OUT_SETS].flatMap(readQuestions);
  console.log(`Ablation: ${articles.length} SQuAD articles (uncurated); the Westminster sets together (${westminster.length} questions), curated and paragraphs only.`);
  for (const { name, options } of ABLATIONS) {
    const settings = { answerCacheSize: 0, ...options };
    const squad = evaluateUncurated(articles, (article) => new AnswerEngine(article, settings));
    const curated = evaluate(new AnswerEngine(knowledge, settings), westminster);
    const bare = evaluate(new AnswerEngine(paragraphsOnly(knowledge), settings), westminster);
    console.log(
      `  ${name.padEnd(30)} SQuAD first ${percent(squad.firstRate)}, typos ${percent(squad.typoFirstRate)}, declined ${percent(squad.offTopicDeclinedRate)}, ` +
        `falsely ${percent(squad.falselyDeclinedRate)} | Westminster first ${percent(curated.firstRate)} (bare ${percent(bare.firstRate)}), ` +
        `declined ${percent(curated.declinedRate)} (bare ${percent(bare.declinedRate)})`,
    );
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { summary: { type: 'boolean' }, 'skip-uncurated': { type: 'boolean' }, ablation: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(USAGE);
  const knowledge = loadKnowledge(process.env.KNOWLEDGE_DIR);
  const curated = new AnswerEngine(knowledge, { answerCacheSize: 0 });
  if (values.ablation) return ablation(knowledge);
  const [file] = positionals;
  if (file) return printSet(path.relative(process.cwd(), file), evaluate(curated, readQuestions(path.resolve(file))), !values.summary);

  const bare = new AnswerEngine(paragraphsOnly(knowledge), { answerCacheSize: 0 });
  console.log('Westminster, curated knowledge:');
  printSet('  tuning set', evaluate(curated, readQuestions(TUNING_SET)), false);
  for (const heldOut of HELD_OUT_SETS) printSet(`  ${path.basename(heldOut)} (held out)`, evaluate(curated, readQuestions(heldOut)), false);
  console.log('Westminster, paragraphs only (no facts, keywords or synonyms):');
  printSet('  tuning set', evaluate(bare, readQuestions(TUNING_SET)), false);
  for (const heldOut of HELD_OUT_SETS) printSet(`  ${path.basename(heldOut)} (held out)`, evaluate(bare, readQuestions(heldOut)), false);
  if (values['skip-uncurated']) return;
  const articles = readSquadArticles();
  console.log(`Uncurated: ${articles.length} SQuAD 2.0 articles, each its own report with paragraphs only:`);
  printUncurated('this engine', evaluateUncurated(articles, (article) => new AnswerEngine(article, { answerCacheSize: 0 })));
  printUncurated('plain BM25', evaluateUncurated(articles, plainBm25));
  printUncurated('MiniSearch', evaluateUncurated(articles, miniSearch));
}

try {
  main();
} catch (error) {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) console.error(`\n${USAGE}`);
  process.exitCode = 1;
}
