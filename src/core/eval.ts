import type { ReportLibrary } from './answer/library.ts';
import type { Answer } from './answer-types.ts';
import { contextAfter, type ConversationContext } from './answer/follow-up.ts';
import type { Knowledge } from './knowledge/types.ts';

/** Anything that answers a question: one report's engine, or the library of every report. */
export interface QuestionAnswerer {
  ask(question: string): Answer;
}

/** One question of the evaluation set: the paragraphs that answer it (best first), or off-topic. */
export interface EvalQuestion {
  question: string;
  paragraphs?: number[];
  offTopic?: boolean;
}

export interface EvalMiss {
  question: string;
  expected: number[] | 'declined';
  got: number[] | 'declined';
}

export interface EvalReport {
  onTopic: number;
  offTopic: number;
  /** Share of on-topic questions whose first hit is an accepted paragraph. */
  firstRate: number;
  /** Share of on-topic questions with an accepted paragraph among the first three hits. */
  top3Rate: number;
  /** Share of off-topic questions declined. */
  declinedRate: number;
  misses: EvalMiss[];
}

export function evaluate(engine: QuestionAnswerer, questions: EvalQuestion[]): EvalReport {
  return scoreAnswers(questions.map((question) => ({ question, answer: engine.ask(question.question) })));
}

/** Scores answers already given (a conversation's turns are answered in order, each with the context before it). */
export function scoreAnswers(answered: ReadonlyArray<{ question: EvalQuestion; answer: Answer }>): EvalReport {
  let first = 0;
  let top3 = 0;
  let declined = 0;
  const misses: EvalMiss[] = [];
  const onTopic = answered.filter(({ question }) => !question.offTopic);
  const offTopic = answered.filter(({ question }) => question.offTopic);
  for (const { question: asked, answer } of onTopic) {
    const { question, paragraphs = [] } = asked;
    const got = answer.hits.map((hit) => hit.paragraph);
    if (got[0] !== undefined && paragraphs.includes(got[0])) first++;
    else misses.push({ question, expected: paragraphs, got: answer.answered ? got : 'declined' });
    if (got.slice(0, 3).some((paragraph) => paragraphs.includes(paragraph))) top3++;
  }
  for (const { question: asked, answer } of offTopic) {
    if (!answer.answered) declined++;
    else misses.push({ question: asked.question, expected: 'declined', got: answer.hits.map((hit) => hit.paragraph) });
  }
  const share = (count: number, total: number): number => (total === 0 ? 1 : count / total);
  return {
    onTopic: onTopic.length,
    offTopic: offTopic.length,
    firstRate: share(first, onTopic.length),
    top3Rate: share(top3, onTopic.length),
    declinedRate: share(declined, offTopic.length),
    misses,
  };
}

/** One turn of a conversation set: `standalone` marks a new question, complete by itself. */
export interface ConversationTurn extends EvalQuestion {
  standalone?: boolean;
}

/** Anything that answers a question within a conversation. */
export interface ConversationAnswerer {
  ask(question: string, conversation?: ConversationContext): Answer;
}

export interface ConversationReport {
  openings: EvalReport;
  followUps: EvalReport;
  standalone: EvalReport;
}

/**
 * Plays each conversation in order, each turn asked with the context the answers before it left
 * (or, with `alone`, each turn by itself), and scores openings, follow-ups and standalone turns apart.
 */
export function evaluateConversations(
  engine: ConversationAnswerer,
  conversations: ReadonlyArray<readonly ConversationTurn[]>,
  options: { alone?: boolean } = {},
): ConversationReport {
  const groups = { openings: [], followUps: [], standalone: [] } as Record<
    keyof ConversationReport,
    Array<{ question: EvalQuestion; answer: Answer }>
  >;
  for (const turns of conversations) {
    let context: ConversationContext | undefined;
    turns.forEach((turn, position) => {
      const answer = engine.ask(turn.question, options.alone ? undefined : context);
      context = contextAfter(answer, context, position);
      groups[position === 0 ? 'openings' : turn.standalone ? 'standalone' : 'followUps'].push({ question: turn, answer });
    });
  }
  return {
    openings: scoreAnswers(groups.openings),
    followUps: scoreAnswers(groups.followUps),
    standalone: scoreAnswers(groups.standalone),
  };
}

/** The knowledge with its curation taken away: paragraphs only, as add-report would first give. */
export function paragraphsOnly(knowledge: Knowledge): Knowledge {
  return {
    reports: knowledge.reports.map((report) => ({
      ...report,
      paragraphs: report.paragraphs.map(({ number, text, section }) => ({ number, text, ...(section && { section }) })),
      facts: { entities: [], arrests: [], quotes: [], claims: [], timeline: [], suggestedQuestions: [] },
    })),
  };
}

export interface CrossReportReport {
  onTopic: number;
  offTopic: number;
  /** The right report and an accepted paragraph first. */
  firstRate: number;
  /** On-topic questions answered from another report: cross-report confusion. */
  otherReportRate: number;
  declinedRate: number;
}

/**
 * One report's questions asked of the whole library, as members ask in a server that holds many
 * reports: with no default report, or with the channel's report set to this one.
 */
export function evaluateAcrossReports(
  library: ReportLibrary,
  reportId: string,
  questions: EvalQuestion[],
  withDefault: boolean,
): CrossReportReport {
  const context = withDefault ? { preferred: [reportId] } : {};
  let first = 0;
  let otherReport = 0;
  let declined = 0;
  const onTopic = questions.filter((question) => !question.offTopic);
  const offTopic = questions.filter((question) => question.offTopic);
  for (const { question, paragraphs = [] } of onTopic) {
    const hit = library.ask(question, context).hits[0];
    if (hit && hit.report === reportId && paragraphs.includes(hit.paragraph)) first++;
    if (hit && hit.report !== reportId) otherReport++;
  }
  for (const { question } of offTopic) if (!library.ask(question, context).answered) declined++;
  const share = (count: number, total: number): number => (total === 0 ? 1 : count / total);
  return {
    onTopic: onTopic.length,
    offTopic: offTopic.length,
    firstRate: share(first, onTopic.length),
    otherReportRate: share(otherReport, onTopic.length),
    declinedRate: share(declined, offTopic.length),
  };
}
