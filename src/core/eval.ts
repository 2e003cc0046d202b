import type { ReportLibrary } from './answer/library.ts';
import type { Answer } from './answer-types.ts';
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
  let first = 0;
  let top3 = 0;
  let declined = 0;
  const misses: EvalMiss[] = [];
  const onTopic = questions.filter((question) => !question.offTopic);
  const offTopic = questions.filter((question) => question.offTopic);
  for (const { question, paragraphs = [] } of onTopic) {
    const answer = engine.ask(question);
    const got = answer.hits.map((hit) => hit.paragraph);
    if (got[0] !== undefined && paragraphs.includes(got[0])) first++;
    else misses.push({ question, expected: paragraphs, got: answer.answered ? got : 'declined' });
    if (got.slice(0, 3).some((paragraph) => paragraphs.includes(paragraph))) top3++;
  }
  for (const { question } of offTopic) {
    const answer = engine.ask(question);
    if (!answer.answered) declined++;
    else misses.push({ question, expected: 'declined', got: answer.hits.map((hit) => hit.paragraph) });
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
