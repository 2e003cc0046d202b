import { createInterface } from 'node:readline';
import { checkQuestion, cleanQuestion, AnswerEngine } from '../core/answer/index.ts';
import type { Answer, Hit } from '../core/answer-types.ts';
import { KnowledgeError, loadKnowledge } from '../core/knowledge/load.ts';
import { wholeWordsPattern } from '../core/text.ts';

/**
 * `npm run ask -- "who was arrested in birmingham?"` prints the answer for a person;
 * `--json` prints one JSON object. With no question, questions are read from standard input,
 * one per line, and answered in order (one JSON object per line with --json).
 */

/** The JSON contract other tools rely on: keep these fields and their meaning stable. */
export interface JsonAnswer {
  question: string;
  answered: boolean;
  hits: Array<{ kind: Hit['kind']; report: string; paragraph: number; passage: string; attribution: string; score: number }>;
  /** Only when the question could not be searched at all (empty, too long, no words). */
  error?: string;
}

export function toJsonAnswer(answer: Answer, error?: string): JsonAnswer {
  return {
    question: answer.question,
    answered: answer.answered,
    hits: answer.hits.map(({ kind, report, paragraph, passage, attribution, score }) => ({ kind, report, paragraph, passage, attribution, score })),
    ...(error !== undefined && { error }),
  };
}

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (text: string): string => (useColor ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text: string): string => (useColor ? `\x1b[2m${text}\x1b[22m` : text);

function highlight(passage: string, words: string[]): string {
  const pattern = useColor ? wholeWordsPattern(words) : undefined;
  return pattern ? passage.replace(pattern, (match) => bold(match)) : passage;
}

export function formatAnswerForTerminal(answer: Answer): string {
  if (!answer.answered) {
    const offers = answer.suggestions.map((suggestion) => `  - ${suggestion}`).join('\n');
    return `The report doesn't say anything about that.${offers ? `\nIt does cover, for example:\n${offers}` : ''}`;
  }
  const [best, ...others] = answer.hits;
  if (!best) return "The report doesn't say anything about that.";
  const lines = [
    highlight(best.passage, best.highlights),
    '',
    `${bold('Who said it:')} ${best.attribution}`,
    `${bold('Source:')} ${best.reportTitle}, paragraph ${best.paragraph}${best.reportUrl ? ` (${best.reportUrl})` : ''}`,
  ];
  if (best.claimStatus && best.claim) lines.push(`${bold(`Claim (${best.claimStatus}):`)} ${best.claim.text} Evidence: ${best.claim.evidence}`);
  if (others.length > 0) {
    lines.push('', bold('Other passages:'));
    for (const hit of others) lines.push(`  ¶${hit.paragraph} ${dim(`(${hit.attribution})`)} ${hit.passage.slice(0, 110)}${hit.passage.length > 110 ? '…' : ''}`);
  }
  return lines.join('\n');
}

function answerOne(engine: AnswerEngine, question: string, json: boolean): { text: string; ok: boolean } {
  const problem = checkQuestion(cleanQuestion(question));
  if (problem) {
    const declined: Answer = { question, answered: false, hits: [], suggestions: [] };
    return { text: json ? JSON.stringify(toJsonAnswer(declined, problem.message)) : problem.message, ok: false };
  }
  const answer = engine.ask(question);
  return { text: json ? JSON.stringify(toJsonAnswer(answer)) : formatAnswerForTerminal(answer), ok: true };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const question = args.filter((arg) => arg !== '--json').join(' ');
  const engine = new AnswerEngine(loadKnowledge());

  if (question) {
    const { text, ok } = answerOne(engine, question, json);
    process.stdout.write(`${text}\n`);
    process.exitCode = ok ? 0 : 1;
    return;
  }
  // Batch mode: one question a line, in order; a bad line gets its message and the rest go on.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let first = true;
  for await (const line of lines) {
    const { text } = answerOne(engine, line, json);
    process.stdout.write(json ? `${text}\n` : `${first ? '' : '\n'}${bold(`? ${line}`)}\n${text}\n`);
    first = false;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof KnowledgeError ? error.message : `ask failed: ${String(error)}`}\n`);
  process.exit(1);
});
