import 'dotenv/config';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readKnowledgeDir } from '../config.ts';
import { checkQuestion, cleanQuestion, contextAfter, type ConversationContext } from '../core/answer/index.ts';
import { ReportLibrary } from '../core/answer/library.ts';
import type { Answer, Hit } from '../core/answer-types.ts';
import { KnowledgeDirError, KnowledgeError, loadServableKnowledge } from '../core/knowledge/load.ts';
import { wholeWordsPattern } from '../core/text.ts';
import { describeError } from '../core/errors.ts';

/**
 * `npm run ask -- "who was arrested in birmingham?"` prints the answer for a person;
 * `--json` prints one JSON object. With no question, questions are read from standard input,
 * one per line, and answered in order (one JSON object per line with --json).
 */
const USAGE = `Usage: npm run -s ask -- [--json] [--report <id>] [--conversation] ["question"]

Answers a question from the reports in KNOWLEDGE_DIR (default ./knowledge), as the bot would.
With no question, reads one question a line from standard input. --report asks that report
first, as a channel's default report would; --json prints one JSON object per question.
--conversation reads each line as continuing the conversation of the line before, as one
member asking in one channel ("how old was he?"); an empty line starts a new conversation.
With --json each answer then has "fromContext": what it took from the conversation, or null.`;

/** The JSON contract other tools rely on: keep these fields and their meaning stable. */
export interface JsonAnswer {
  question: string;
  answered: boolean;
  hits: Array<{ kind: Hit['kind']; report: string; paragraph: number; passage: string; attribution: string; score: number }>;
  /** Only when the question could not be searched at all (empty, too long, no words). */
  error?: string;
  /** With --conversation: what the answer took from the conversation before it, or null. */
  fromContext?: { topic: string; about: string; report: string } | null;
}

export function toJsonAnswer(answer: Answer, error?: string, inConversation = false): JsonAnswer {
  const taken = answer.fromContext;
  return {
    question: answer.question,
    answered: answer.answered,
    hits: answer.hits.map(({ kind, report, paragraph, passage, attribution, score }) => ({
      kind,
      report,
      paragraph,
      passage,
      attribution,
      score,
    })),
    ...(error !== undefined && { error }),
    ...(inConversation && { fromContext: taken ? { topic: taken.topic, about: taken.about, report: taken.reportId } : null }),
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
  if (best.claimStatus && best.claim)
    lines.push(`${bold(`Claim (${best.claimStatus}):`)} ${best.claim.text} Evidence: ${best.claim.evidence}`);
  if (others.length > 0) {
    lines.push('', bold('Other passages:'));
    for (const hit of others)
      lines.push(`  ¶${hit.paragraph} ${dim(`(${hit.attribution})`)} ${hit.passage.slice(0, 110)}${hit.passage.length > 110 ? '…' : ''}`);
  }
  return lines.join('\n');
}

/** One member's conversation, as the bot keeps it for a channel. */
interface Conversation {
  context?: ConversationContext;
  turn: number;
}

function answerOne(
  library: ReportLibrary,
  question: string,
  options: { json: boolean; preferred: string[]; conversation?: Conversation },
): { text: string; ok: boolean } {
  const { json, preferred, conversation } = options;
  const problem = checkQuestion(cleanQuestion(question), { inConversation: conversation?.context !== undefined });
  if (problem) {
    const declined: Answer = { question, answered: false, hits: [], suggestions: [] };
    return {
      text: json ? JSON.stringify(toJsonAnswer(declined, problem.message, conversation !== undefined)) : problem.message,
      ok: false,
    };
  }
  const answer = library.ask(question, { preferred, ...(conversation?.context && { conversation: conversation.context }) });
  if (conversation) {
    // Turns, not the clock: a batch read at once is one conversation however fast it goes.
    conversation.turn++;
    conversation.context = contextAfter(answer, conversation.context, conversation.turn);
  }
  if (json) return { text: JSON.stringify(toJsonAnswer(answer, undefined, conversation !== undefined)), ok: true };
  const about = answer.fromContext ? `${dim(`(following on, about ${answer.fromContext.about})`)}\n` : '';
  return { text: `${about}${formatAnswerForTerminal(answer)}`, ok: true };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      report: { type: 'string' },
      conversation: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const json = values.json === true;
  const question = positionals.join(' ');
  const library = new ReportLibrary(loadServableKnowledge(readKnowledgeDir(process.env)).knowledge);
  if (values.report !== undefined && !library.findReport(values.report)) {
    throw new KnowledgeError([
      {
        file: readKnowledgeDir(process.env),
        field: 'report',
        reason: `no report "${values.report}"; the reports are ${library.reports.map((report) => report.meta.id).join(', ')}`,
      },
    ]);
  }
  const preferred = values.report === undefined ? [] : [values.report];

  if (question) {
    const { text, ok } = answerOne(library, question, { json, preferred });
    process.stdout.write(`${text}\n`);
    process.exitCode = ok ? 0 : 1;
    return;
  }
  // Batch mode: one question a line, in order; a bad line gets its message and the rest go on.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let first = true;
  let conversation: Conversation | undefined = values.conversation ? { turn: 0 } : undefined;
  for await (const line of lines) {
    if (conversation && line.trim() === '') {
      conversation = { turn: 0 };
      continue;
    }
    const { text } = answerOne(library, line, { json, preferred, ...(conversation && { conversation }) });
    process.stdout.write(json ? `${text}\n` : `${first ? '' : '\n'}${bold(`? ${line}`)}\n${text}\n`);
    first = false;
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof KnowledgeError ||
    error instanceof KnowledgeDirError ||
    (error instanceof Error && error.name === 'TypeError' && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`${known ? (error as Error).message : `ask failed: ${describeError(error)}`}\n`);
  process.exit(1);
});
