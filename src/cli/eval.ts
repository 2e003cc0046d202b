import 'dotenv/config';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnswerEngine, type AnswerEngineOptions } from '../core/answer/index.ts';
import { DEFAULT_RANKING } from '../core/answer/retrieve.ts';
import { readKnowledgeDir } from '../config.ts';
import { ReportLibrary } from '../core/answer/library.ts';
import {
  evaluate,
  evaluateAcrossReports,
  evaluateConversations,
  paragraphsOnly,
  type ConversationTurn,
  type EvalQuestion,
  type EvalReport,
} from '../core/eval.ts';
import { importArticle, readArticle, type KnowledgeFiles } from '../core/ingest/index.ts';
import { scoreIngestion, truthFromCuratedReport, type IngestScores, type IngestTruth } from '../core/ingest/measure.ts';
import { validateKnowledge } from '../core/knowledge/validate.ts';
import { evaluateUncurated, type UncuratedReport } from '../core/eval-uncurated.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';
import type { Knowledge } from '../core/knowledge/types.ts';
import { miniSearch, plainBm25 } from './baselines.ts';
import { readSquadArticles } from './squad-data.ts';
import { describeError } from '../core/errors.ts';

const USAGE = `Usage: npm run eval -- [questions.json [--report <id>]] [--summary] [--skip-uncurated] [--ablation] [--conversations] [--misses]

With no file: every suite, on the reports in KNOWLEDGE_DIR (default ./knowledge):
  - each report alone, with its knowledge as it is and with paragraphs only, on its question sets
    (tests/questions/<report id>.json; Westminster's are questions.json, holdout.json, holdout-blind.json);
  - Westminster read again by add-report from its source.txt: answers with no curation at all;
  - every report together, as one server holds them: right report first, and cross-report
    confusion (questions for one report answered from another), with and without a default report;
  - conversations (tests/questions/followups-<report id>.json): each played in order with the
    context its answers leave, and each turn asked alone beside it;
  - ingestion: structure found by add-report against the hand-made Westminster knowledge and the
    facts written with the test reports (tests/reports/<id>/expected.json);
  - the uncurated suite (SQuAD articles as reports, with plain BM25 and MiniSearch on the same data).
With a file: that question set asked of every report (or of --report's report first), and its misses.
  --summary          rates only (for held-out sets, whose questions must not steer tuning)
  --skip-uncurated   leave out the uncurated suite (about a minute)
  --ablation         each mechanism switched off in turn, on half the SQuAD articles and the Westminster sets
  --conversations    the conversation sets only
  --misses           list the follow-ups whose first passage was wrong`;

const QUESTIONS_DIR = path.resolve(import.meta.dirname, '../../tests/questions');
const TEST_REPORTS_DIR = path.resolve(import.meta.dirname, '../../tests/reports');
const WESTMINSTER = 'westminster-attack';
const TUNING_SET = path.join(QUESTIONS_DIR, 'questions.json');
const HELD_OUT_SETS = ['holdout.json', 'holdout-blind.json'].map((file) => path.join(QUESTIONS_DIR, file));

/** A report's question sets: Westminster's three by name, any other report's `<id>.json`. */
function questionSetsOf(reportId: string): string[] {
  if (reportId === WESTMINSTER) return [TUNING_SET, ...HELD_OUT_SETS];
  const own = path.join(QUESTIONS_DIR, `${reportId}.json`);
  return existsSync(own) ? [own] : [];
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function readQuestions(file: string): EvalQuestion[] {
  if (!existsSync(file)) throw new Error(`no question file at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as EvalQuestion[];
}

function printSet(label: string, report: EvalReport, withMisses: boolean): void {
  console.log(
    `${label}: ${report.onTopic} on topic, ${report.offTopic} off topic: first ${percent(report.firstRate)}, top 3 ${percent(report.top3Rate)}, off-topic declined ${percent(report.declinedRate)}`,
  );
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
  console.log(
    `Ablation: ${articles.length} SQuAD articles (uncurated); the Westminster sets together (${westminster.length} questions), curated and paragraphs only.`,
  );
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
    options: {
      summary: { type: 'boolean' },
      'skip-uncurated': { type: 'boolean' },
      ablation: { type: 'boolean' },
      conversations: { type: 'boolean' },
      misses: { type: 'boolean' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const knowledge = loadKnowledge(readKnowledgeDir(process.env));
  const library = new ReportLibrary(knowledge, { answerCacheSize: 0 });
  if (values.ablation) return ablation(reportOnly(knowledge, WESTMINSTER));
  if (values.conversations) return conversations(knowledge, values.misses === true);
  const [file] = positionals;
  if (file) {
    if (values.report !== undefined && !library.findReport(values.report)) throw new Error(`no report "${values.report}" in the knowledge`);
    const preferred = values.report === undefined ? [] : [values.report];
    const answerer = { ask: (question: string) => library.ask(question, { preferred }) };
    return printSet(path.relative(process.cwd(), file), evaluate(answerer, readQuestions(path.resolve(file))), !values.summary);
  }

  for (const report of knowledge.reports) {
    const sets = questionSetsOf(report.meta.id);
    if (sets.length === 0) continue;
    const alone = reportOnly(knowledge, report.meta.id);
    console.log(
      `${report.meta.id}, alone, knowledge as it is${report.facts.entities.every((entity) => entity.origin === 'automatic') ? ' (found automatically)' : ' (curated)'}:`,
    );
    for (const set of sets)
      printSet(`  ${path.basename(set)}`, evaluate(new AnswerEngine(alone, { answerCacheSize: 0 }), readQuestions(set)), false);
    console.log(`${report.meta.id}, alone, paragraphs only:`);
    for (const set of sets)
      printSet(
        `  ${path.basename(set)}`,
        evaluate(new AnswerEngine(paragraphsOnly(alone), { answerCacheSize: 0 }), readQuestions(set)),
        false,
      );
  }
  conversations(knowledge, values.misses === true);
  // add-report's reading of Westminster is made once: its answers and its ingestion scores both use it.
  const automatic = automaticWestminster(knowledge);
  westminsterReadAgain(automatic);
  acrossReports(knowledge, library);
  ingestion(knowledge, automatic);

  if (values['skip-uncurated']) return;
  const articles = readSquadArticles();
  console.log(`Uncurated: ${articles.length} SQuAD 2.0 articles, each its own report with paragraphs only:`);
  printUncurated(
    'this engine',
    evaluateUncurated(articles, (article) => new AnswerEngine(article, { answerCacheSize: 0 })),
  );
  printUncurated('plain BM25', evaluateUncurated(articles, plainBm25));
  printUncurated('MiniSearch', evaluateUncurated(articles, miniSearch));
}

/**
 * The follow-up sets (tests/questions/followups-<report id>.json, written blind): conversations of
 * 2-3 turns, played in order with the context each answer leaves, and each turn asked alone beside
 * it: openings, follow-ups and standalone later turns apart.
 */
function conversations(knowledge: Knowledge, showMisses: boolean): void {
  for (const report of knowledge.reports) {
    const file = path.join(QUESTIONS_DIR, `followups-${report.meta.id}.json`);
    if (!existsSync(file)) continue;
    const turns = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ turns: ConversationTurn[] }>).map(
      (conversation) => conversation.turns,
    );
    const engine = new AnswerEngine(reportOnly(knowledge, report.meta.id), { answerCacheSize: 0 });
    for (const alone of [false, true]) {
      console.log(`${report.meta.id}, conversations (${turns.length}), ${alone ? 'each turn asked alone' : 'in context'}:`);
      const scored = evaluateConversations(engine, turns, { alone });
      printSet('  openings', scored.openings, false);
      printSet('  follow-ups', scored.followUps, !alone && showMisses);
      printSet('  standalone later turns', scored.standalone, false);
    }
  }
}

function reportOnly(knowledge: Knowledge, reportId: string): Knowledge {
  return { reports: knowledge.reports.filter((report) => report.meta.id === reportId) };
}

/** The Westminster report as add-report makes it from source.txt, with no hand curation at all. */
function automaticWestminster(knowledge: Knowledge): { knowledge: Knowledge; files: KnowledgeFiles } | undefined {
  const report = knowledge.reports.find((candidate) => candidate.meta.id === WESTMINSTER);
  const sourceFile = path.join(readKnowledgeDir(process.env), WESTMINSTER, 'source.txt');
  if (!report || !existsSync(sourceFile)) return undefined;
  const sourceText = readFileSync(sourceFile, 'utf8');
  const imported = importArticle(readArticle(sourceText, { html: false }), { id: WESTMINSTER });
  const result = validateKnowledge([
    {
      folder: WESTMINSTER,
      reportJson: JSON.stringify(imported.files.report),
      factsJson: JSON.stringify(imported.files.facts),
      sourceText: imported.sourceText,
    },
  ]);
  return result.knowledge ? { knowledge: result.knowledge, files: imported.files } : undefined;
}

type AutomaticWestminster = ReturnType<typeof automaticWestminster>;

function westminsterReadAgain(automatic: AutomaticWestminster): void {
  if (!automatic) return;
  console.log('westminster-attack read again by add-report (facts found automatically, no curation):');
  const engine = new AnswerEngine(automatic.knowledge, { answerCacheSize: 0 });
  for (const set of questionSetsOf(WESTMINSTER)) printSet(`  ${path.basename(set)}`, evaluate(engine, readQuestions(set)), false);
}

function acrossReports(knowledge: Knowledge, library: ReportLibrary): void {
  if (knowledge.reports.length < 2) return;
  console.log(`Every report together (${knowledge.reports.length}), as one server holds them:`);
  for (const report of knowledge.reports) {
    const questions = questionSetsOf(report.meta.id)
      .filter((set) => set !== TUNING_SET)
      .flatMap(readQuestions);
    if (questions.length === 0) continue;
    for (const withDefault of [false, true]) {
      const result = evaluateAcrossReports(library, report.meta.id, questions, withDefault);
      console.log(
        `  ${report.meta.id.padEnd(24)} ${withDefault ? "channel's report set" : 'no default report   '}: right report and passage first ${percent(result.firstRate)}, ` +
          `answered from another report ${percent(result.otherReportRate)}, off-topic declined ${percent(result.declinedRate)}`,
      );
    }
  }
}

function printScores(label: string, scores: IngestScores): void {
  const show = (score: { found: number; of: number }): string => `${score.found}/${score.of}`;
  console.log(
    `  ${label.padEnd(24)} paragraphs ${show(scores.paragraphs)}, headings ${show(scores.headings)}, quotes with speaker ${show(scores.quotesWithSpeaker)}, ` +
      `entities ${show(scores.entities)} (with role ${show(scores.entitiesWithRole)}), attributions ${show(scores.attributions)}, ` +
      `arrests ${show(scores.arrests)} (fields ${show(scores.arrestFields)})`,
  );
}

function ingestion(knowledge: Knowledge, automatic: AutomaticWestminster): void {
  console.log('Ingestion (add-report), against facts written by hand:');
  const westminster = knowledge.reports.find((report) => report.meta.id === WESTMINSTER);
  if (westminster && automatic) printScores(WESTMINSTER, scoreIngestion(truthFromCuratedReport(westminster), automatic.files));
  if (!existsSync(TEST_REPORTS_DIR)) return;
  for (const id of readdirSync(TEST_REPORTS_DIR).sort()) {
    const truthFile = path.join(TEST_REPORTS_DIR, id, 'expected.json');
    const textFile = path.join(TEST_REPORTS_DIR, id, 'report.txt');
    if (!existsSync(truthFile) || !existsSync(textFile)) continue;
    const imported = importArticle(readArticle(readFileSync(textFile, 'utf8'), { html: false }), { id });
    printScores(id, scoreIngestion(JSON.parse(readFileSync(truthFile, 'utf8')) as IngestTruth, imported.files));
  }
}

try {
  main();
} catch (error) {
  console.error(`eval: ${describeError(error)}`);
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) console.error(`\n${USAGE}`);
  process.exitCode = 1;
}
