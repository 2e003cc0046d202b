import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AnswerEngine } from '../core/answer/index.ts';
import { evaluate, type EvalQuestion } from '../core/eval.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';

/** `npm run eval [questions.json]`: answer quality on the question set, with the misses. */
const args = process.argv.slice(2);
// --summary prints the rates only: for a held-out set, whose questions must not steer the tuning.
const summaryOnly = args.includes('--summary');
const file = args.find((arg) => !arg.startsWith('--')) ?? path.resolve(import.meta.dirname, '../../tests/questions/questions.json');
const questions = JSON.parse(readFileSync(file, 'utf8')) as EvalQuestion[];
const report = evaluate(new AnswerEngine(loadKnowledge()), questions);
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

console.log(`questions: ${report.onTopic} on topic, ${report.offTopic} off topic (${path.relative(process.cwd(), file)})`);
console.log(`right passage first: ${percent(report.firstRate)}`);
console.log(`right passage in top 3: ${percent(report.top3Rate)}`);
console.log(`off-topic declined: ${percent(report.declinedRate)}`);
if (!summaryOnly && report.misses.length > 0) {
  console.log(`\nmisses (${report.misses.length}):`);
  for (const miss of report.misses) {
    const show = (value: number[] | 'declined'): string => (value === 'declined' ? 'declined' : `[${value.join(', ')}]`);
    console.log(`  ${JSON.stringify(miss.question)}  expected ${show(miss.expected)}  got ${show(miss.got)}`);
  }
}
