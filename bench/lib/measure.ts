import v8 from 'node:v8';
import vm from 'node:vm';
import type { Corpus } from './corpus.ts';
import type { BenchEngine, Searcher } from './engines.ts';

/**
 * A forced garbage collection between measurements, so one engine's garbage is not collected
 * on another's clock, and so retained heap can be read. `--expose-gc` set at run time and the
 * `gc` function taken from a fresh context: works without changing how the script is started.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/**
 * One collection, not two: V8 ages compiled code at every full GC and flushes what looks
 * unused, so back-to-back collections made every following build or query pay for
 * recompiling (the real report's build went from ~8 ms to ~28 ms).
 */
function fullGc(): void {
  collectGarbage();
}

function millisecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Nearest-rank percentile: an actual sample, so p99 of 20 samples is simply the slowest one. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 0.5);
}

/** How much measuring one engine on one corpus may cost: the slow ones get few samples. */
export interface Plan {
  builds: number;
  warmupQuestions: number;
  /** Passes over the measured questions; the first pass sees every question for the first time. */
  passes: number;
  maxSamples: number;
  /** Stop sampling once this much time has gone by (checked between queries). */
  budgetMs: number;
}

export interface Measurement {
  buildMs: number;
  buildSamples: number[];
  /** Heap still in use after building one instance and collecting garbage; rough. */
  retainedHeapMb: number;
  latency: LatencySummary;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  /**
   * p99 over questions of each question's median latency (needs 3+ passes, else NaN). A burst
   * of load from another process or one GC pause hits one sample, not a question's median: this
   * is the engine's own latency spread, steadier than `p99` on a shared machine.
   */
  p99OfQuestionMedians: number;
  /** p99 of the first pass alone: every question new to the engine (no per-word caches yet). */
  p99FirstPass: number;
  max: number;
  samples: number;
  distinctQuestions: number;
  /** Share of distinct questions with at least one result (ours: answered). */
  hitRate: number;
  /** Latency is capped by the plan: fewer samples than questions x passes. */
  capped: boolean;
}

export function measure(engine: BenchEngine, corpus: Corpus, plan: Plan): Measurement {
  const buildSamples = timeBuilds(engine, corpus, plan.builds);
  const { searcher, retainedHeapMb } = buildAndWeigh(engine, corpus);
  return { buildMs: median(buildSamples), buildSamples, retainedHeapMb, latency: timeQueries(searcher, corpus, plan) };
}

/** Each build from scratch, garbage collected before so a previous build's garbage is not billed. */
function timeBuilds(engine: BenchEngine, corpus: Corpus, builds: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < builds; i++) {
    fullGc();
    const start = process.hrtime.bigint();
    engine.build(corpus);
    samples.push(millisecondsSince(start));
  }
  return samples;
}

/** The instance the queries run on; its retained heap is measured on the way. */
function buildAndWeigh(engine: BenchEngine, corpus: Corpus): { searcher: Searcher; retainedHeapMb: number } {
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const searcher = engine.build(corpus);
  fullGc();
  const retainedHeapMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  return { searcher, retainedHeapMb };
}

function timeQueries(search: Searcher, corpus: Corpus, plan: Plan): LatencySummary {
  // Warm-up: lets V8 optimise the hot paths (and our engine load its English word list once).
  // Cycles through the warm-up list when the plan asks for more questions than it holds.
  const warmup = corpus.warmupQuestions;
  for (let i = 0; i < plan.warmupQuestions && warmup.length > 0; i++) search(warmup[i % warmup.length] as string);
  fullGc();

  const samples: number[] = [];
  const firstPass: number[] = [];
  const byQuestion = new Map<string, number[]>();
  const hits = new Set<string>();
  const started = process.hrtime.bigint();
  let capped = false;
  passes: for (let pass = 0; pass < plan.passes; pass++) {
    for (const question of corpus.questions) {
      if (samples.length >= plan.maxSamples || millisecondsSince(started) >= plan.budgetMs) {
        capped = true;
        break passes;
      }
      const start = process.hrtime.bigint();
      const found = search(question);
      const elapsed = millisecondsSince(start);
      samples.push(elapsed);
      if (pass === 0) firstPass.push(elapsed);
      const times = byQuestion.get(question) ?? [];
      times.push(elapsed);
      byQuestion.set(question, times);
      if (found) hits.add(question);
    }
  }
  return {
    p50: median(samples),
    p99: percentile(samples, 0.99),
    p99OfQuestionMedians: p99OfMedians(byQuestion),
    p99FirstPass: percentile(firstPass, 0.99),
    max: Math.max(...samples),
    samples: samples.length,
    distinctQuestions: firstPass.length,
    hitRate: firstPass.length > 0 ? hits.size / firstPass.length : 0,
    capped,
  };
}

function p99OfMedians(byQuestion: Map<string, number[]>): number {
  const medians = [...byQuestion.values()].filter((times) => times.length >= 3).map(median);
  // Only meaningful if most questions were asked often enough.
  return medians.length >= byQuestion.size / 2 ? percentile(medians, 0.99) : Number.NaN;
}
