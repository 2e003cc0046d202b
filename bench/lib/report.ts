import os from 'node:os';
import type { Measurement } from './measure.ts';

/** One engine on one corpus: its numbers, or what went wrong. */
export interface Row {
  corpus: string;
  paragraphs: number;
  engine: string;
  measurement?: Measurement;
  error?: string;
}

export interface Target {
  description: string;
  corpus: string;
  metric: 'p99' | 'build';
  /** The limit; with a reference engine, the limit is that engine's value in the same run. */
  limitMs: number;
  reference?: string;
}

export interface TargetCheck extends Target {
  valueMs: number | null;
  /** For latency targets: p99 of per-question medians, to tell a slow engine from a noisy run. */
  steadyValueMs: number | null;
  pass: boolean;
}

export interface Speedup {
  corpus: string;
  reference: string;
  /** reference time / our time: above 1, ours is faster. */
  p50: number;
  p99: number;
  build: number;
}

const OURS = 'AnswerEngine';

export function checkTargets(rows: readonly Row[], targets: readonly Target[]): TargetCheck[] {
  const valueOf = (engine: string, target: Target): number | null => {
    const measurement = rows.find((row) => row.engine === engine && row.corpus === target.corpus)?.measurement;
    return measurement ? (target.metric === 'p99' ? measurement.latency.p99 : measurement.buildMs) : null;
  };
  return targets.map((target) => {
    const measurement = rows.find((row) => row.engine === OURS && row.corpus === target.corpus)?.measurement;
    const valueMs = valueOf(OURS, target);
    const steady = target.metric === 'p99' ? measurement?.latency.p99OfQuestionMedians : undefined;
    const steadyValueMs = steady !== undefined && Number.isFinite(steady) ? steady : null;
    const limitMs = target.reference ? (valueOf(target.reference, target) ?? 0) : target.limitMs;
    return { ...target, limitMs, valueMs, steadyValueMs, pass: valueMs !== null && valueMs < limitMs };
  });
}

export function speedups(rows: readonly Row[]): Speedup[] {
  const result: Speedup[] = [];
  for (const ours of rows.filter((row) => row.engine === OURS && row.measurement)) {
    for (const reference of rows.filter((row) => row.corpus === ours.corpus && row.engine !== OURS && row.measurement)) {
      const a = ours.measurement as Measurement;
      const b = reference.measurement as Measurement;
      result.push({
        corpus: ours.corpus,
        reference: reference.engine,
        p50: b.latency.p50 / a.latency.p50,
        p99: b.latency.p99 / a.latency.p99,
        build: b.buildMs / a.buildMs,
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Text output

/** Milliseconds with precision where it matters: 0.0123, 1.23, 123, 1234. */
function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value < 0.1) return value.toFixed(4);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

function ratio(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${text}x${value < 1 ? ' (slower)' : ''}`;
}

function table(header: string[], lines: string[][], rightAligned: (column: number) => boolean): string {
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((cell, column) => (rightAligned(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)].join('\n');
}

export function resultsTable(rows: readonly Row[]): string {
  const header = [
    'corpus',
    'paragraphs',
    'engine',
    'build ms',
    'heap MB',
    'p50 ms',
    'p99 ms',
    'p99 q-med',
    'p99 new q',
    'max ms',
    'samples',
    'hit %',
  ];
  const lines = rows.map((row) => {
    const start = [row.corpus, row.paragraphs.toLocaleString('en'), row.engine];
    if (!row.measurement) return [...start, `ERROR: ${row.error ?? 'unknown'}`];
    const { buildMs, retainedHeapMb, latency } = row.measurement;
    return [
      ...start,
      ms(buildMs),
      retainedHeapMb.toFixed(1),
      ms(latency.p50),
      ms(latency.p99),
      ms(latency.p99OfQuestionMedians),
      ms(latency.p99FirstPass),
      ms(latency.max),
      `${latency.samples}${latency.capped ? '*' : ''}`,
      (latency.hitRate * 100).toFixed(0),
    ];
  });
  return table(header, lines, (column) => column === 1 || column >= 3);
}

export function speedupTable(list: readonly Speedup[]): string {
  const header = ['corpus', 'AnswerEngine vs', 'p50 speedup', 'p99 speedup', 'build speedup'];
  const lines = list.map((entry) => [entry.corpus, entry.reference, ratio(entry.p50), ratio(entry.p99), ratio(entry.build)]);
  return table(header, lines, (column) => column >= 2);
}

export function targetLines(checks: readonly TargetCheck[]): string {
  return checks
    .map((check) => {
      const value = check.valueMs === null ? 'not measured' : `${ms(check.valueMs)} ms`;
      const steady = check.steadyValueMs === null ? '' : ` (p99 of per-question medians: ${ms(check.steadyValueMs)} ms)`;
      return `${check.pass ? 'PASS' : 'FAIL'}  ${check.description}: ${value}${steady}`;
    })
    .join('\n');
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    /** 1-minute load average at the end of the run: other work on the machine skews p99. */
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
