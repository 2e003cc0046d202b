/**
 * Search benchmark: our AnswerEngine against plain fuse.js and MiniSearch, on the real report
 * and on synthetic corpora of 1,000 and 10,000 paragraphs. `npm run bench`; see bench/README.md.
 * Exits 1 when a target is missed. Results go to bench/results/latest.json (ignored); with
 * `--update` also to the committed bench/results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { realCorpus, syntheticCorpus, syntheticVocabulary, type Corpus } from './lib/corpus.ts';
import { ENGINES, plainFuse, type BenchEngine } from './lib/engines.ts';
import { measure, type Plan } from './lib/measure.ts';
import { checkTargets, machineInfo, resultsTable, speedups, speedupTable, targetLines, type Row, type Target } from './lib/report.ts';

const COMMITTED_RESULTS = path.resolve(import.meta.dirname, 'results.json');
const LATEST_RESULTS = path.resolve(import.meta.dirname, 'results/latest.json');
const SYNTHETIC_SIZES = [1_000, 10_000] as const;

const TARGETS: readonly Target[] = [
  { description: 'AnswerEngine p99 on the real knowledge < 1 ms', corpus: 'real', metric: 'p99', limitMs: 1 },
  { description: 'AnswerEngine p99 at 10,000 paragraphs < 10 ms', corpus: 'synthetic 10,000', metric: 'p99', limitMs: 10 },
  { description: 'AnswerEngine build at 10,000 paragraphs < 1 s', corpus: 'synthetic 10,000', metric: 'build', limitMs: 1000 },
  {
    description: 'AnswerEngine p99 faster than MiniSearch at 10,000 paragraphs',
    corpus: 'synthetic 10,000',
    metric: 'p99',
    limitMs: 0,
    reference: 'MiniSearch',
  },
];

/**
 * How hard to measure each case. Fast cases get several passes over every question; plain
 * fuse.js scans every paragraph with a bitap matcher per question (about 0.1-0.3 s at 1,000
 * paragraphs, 1-3 s at 10,000), so it gets a capped number of questions to keep the run short.
 */
function planFor(engine: BenchEngine, paragraphs: number): Plan {
  const slow = engine === plainFuse;
  if (paragraphs < 1_000) return { builds: 10, warmupQuestions: 400, passes: 10, maxSamples: 5_000, budgetMs: 3_000 };
  if (paragraphs < 10_000) {
    return slow
      ? { builds: 3, warmupQuestions: 3, passes: 1, maxSamples: 40, budgetMs: 8_000 }
      : { builds: 5, warmupQuestions: 60, passes: 5, maxSamples: 5_000, budgetMs: 4_000 };
  }
  return slow
    ? { builds: 3, warmupQuestions: 1, passes: 1, maxSamples: 20, budgetMs: 30_000 }
    : { builds: 3, warmupQuestions: 60, passes: 3, maxSamples: 5_000, budgetMs: 6_000 };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** One engine on one corpus; an engine that throws is reported in the table, not fatal. */
function runCase(engine: BenchEngine, corpus: Corpus): Row {
  const paragraphs = corpus.paragraphs.length;
  log(`  ${engine.name} on ${corpus.name}...`);
  try {
    return { corpus: corpus.name, paragraphs, engine: engine.name, measurement: measure(engine, corpus, planFor(engine, paragraphs)) };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log(`    failed: ${error instanceof Error ? error.stack : message}`);
    return { corpus: corpus.name, paragraphs, engine: engine.name, error: message };
  }
}

/** What the table does not say by itself: which cases were capped, and what the columns mean. */
function footnotes(rows: readonly Row[]): string[] {
  const capped = rows.filter((row) => row.measurement?.latency.capped);
  return [
    ...capped.map((row) => {
      const latency = row.measurement?.latency;
      const note = latency && latency.samples < 100 ? '; p99 is simply the slowest sample' : '';
      return `* ${row.engine} on ${row.corpus}: capped at ${latency?.samples} samples to bound the run time${note}.`;
    }),
    '"p99 q-med": p99 over questions of each question\'s median time (3+ passes): the steady spread, less noise.',
    '"p99 new q": p99 over the first time each question is asked (per-word caches cold); p50 and p99 include repeats.',
    '"heap MB": heap retained by one built index, after garbage collection (rough).',
    '"hit %": distinct questions with at least one result; for AnswerEngine, questions it answered rather than declined.',
    'On the real report AnswerEngine also indexes the facts; the other engines see the paragraphs only.',
  ];
}

function* corpora(): Generator<Corpus> {
  const real = realCorpus();
  yield real;
  const vocabulary = syntheticVocabulary(real.knowledge);
  for (const size of SYNTHETIC_SIZES) {
    log(`generating ${size.toLocaleString('en')} paragraphs...`);
    yield syntheticCorpus(size, vocabulary);
  }
}

function main(): void {
  const startedAt = new Date();
  const rows: Row[] = [];
  const questionCounts: Record<string, { measured: number; warmup: number }> = {};
  for (const corpus of corpora()) {
    log(`${corpus.name}: ${corpus.paragraphs.length} paragraphs, ${corpus.questions.length} questions`);
    questionCounts[corpus.name] = { measured: corpus.questions.length, warmup: corpus.warmupQuestions.length };
    for (const engine of ENGINES) rows.push(runCase(engine, corpus));
  }
  const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;

  const machine = machineInfo();
  const ratios = speedups(rows);
  const targets = checkTargets(rows, TARGETS);
  console.log(
    `\nSearch benchmark, ${machine.cpuModel} x${machine.cpuCount}, Node ${machine.node}, ${elapsedSeconds.toFixed(0)} s, ` +
      `load average ${machine.loadAverage1m} (the bench itself counts for about 1; more means other work competed)\n`,
  );
  console.log(resultsTable(rows));
  console.log(`\n${footnotes(rows).join('\n')}\n`);
  console.log(speedupTable(ratios));
  console.log(`\nTargets\n${targetLines(targets)}`);

  const results = { timestamp: startedAt.toISOString(), elapsedSeconds, machine, questionCounts, rows, speedups: ratios, targets };
  const files = process.argv.includes('--update') ? [LATEST_RESULTS, COMMITTED_RESULTS] : [LATEST_RESULTS];
  mkdirSync(path.dirname(LATEST_RESULTS), { recursive: true });
  for (const file of files) writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${files.map((file) => path.relative(process.cwd(), file)).join(' and ')}`);
  const missed = targets.filter((target) => !target.pass);
  if (missed.length > 0) {
    console.error(
      `\n${missed.length} target${missed.length === 1 ? '' : 's'} missed: ${missed.map((target) => target.description).join('; ')}`,
    );
    process.exitCode = 1;
  }
}

const USAGE = `Usage: npm run bench [-- --update]

Search speed: build and query times of this engine, plain fuse.js and MiniSearch on the real
report and on 1,000 and 10,000 synthetic paragraphs. Exits 1 when a target is missed. Writes
bench/results/latest.json (ignored by git); --update also writes the committed bench/results.json.`;

if (process.argv.includes('--help') || process.argv.includes('-h')) console.log(USAGE);
else main();
