import type { Answer, Hit } from '../answer-types.ts';
import type { Knowledge, Report } from '../knowledge/types.ts';
import { AnswerEngine, type AnswerEngineOptions } from './engine.ts';
import type { ConversationContext } from './follow-up.ts';

/** Another report whose answer is this close in the decision's probability answers the question as well as the best. */
const ALSO_ANSWERS_WITHIN = 0.1;

/** Where a question is asked: the reports to try first, channel's before server's. */
export interface AskContext {
  preferred?: readonly string[];
  /** The asker's conversation here: a question that leans on it is asked of its report, read with it. */
  conversation?: ConversationContext;
}

export interface LibraryUpdate {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Many reports in one bot. Each report has its own engine, so one report's words never weigh on
 * another's and the decision, calibrated on one report at a time, stays calibrated. A question
 * goes to the preferred report first; when that report does not answer, the others are tried and
 * the most confident answer wins, marked as coming from elsewhere.
 */
export class ReportLibrary {
  private engines = new Map<string, { engine: AnswerEngine; fingerprint: string }>();
  private current: Knowledge = { reports: [] };

  constructor(
    knowledge: Knowledge,
    private readonly options: AnswerEngineOptions = {},
  ) {
    this.update(knowledge);
  }

  get knowledge(): Knowledge {
    return this.current;
  }

  get reports(): readonly Report[] {
    return this.current.reports;
  }

  get paragraphCount(): number {
    return this.current.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
  }

  /** Swaps in new knowledge; an unchanged report keeps its engine (built once, warm). */
  update(knowledge: Knowledge): LibraryUpdate {
    const next = new Map<string, { engine: AnswerEngine; fingerprint: string }>();
    const result: LibraryUpdate = { added: [], changed: [], removed: [] };
    for (const report of knowledge.reports) {
      const fingerprint = JSON.stringify(report);
      const existing = this.engines.get(report.meta.id);
      if (existing?.fingerprint === fingerprint) {
        next.set(report.meta.id, existing);
        continue;
      }
      (existing ? result.changed : result.added).push(report.meta.id);
      next.set(report.meta.id, { engine: new AnswerEngine({ reports: [report] }, this.options), fingerprint });
    }
    for (const id of this.engines.keys()) if (!next.has(id)) result.removed.push(id);
    this.engines = next;
    this.current = knowledge;
    return result;
  }

  findReport(reportId: string): Report | undefined {
    return this.current.reports.find((report) => report.meta.id === reportId);
  }

  engineFor(reportId: string): AnswerEngine | undefined {
    return this.engines.get(reportId)?.engine;
  }

  ask(question: string, context: AskContext = {}): Answer {
    // A question complete by itself is asked as if there were no conversation.
    const { conversation } = context;
    const followUp = conversation && this.engineFor(conversation.reportId)?.ask(question, conversation);
    if (followUp?.answered && followUp.fromContext) return followUp;
    const preferred = (context.preferred ?? []).filter((id) => this.engines.has(id));
    // Kept: when nobody answers, the preferred report's suggestions come first.
    let declinedHere: Answer | undefined;
    for (const id of preferred) {
      const answer = this.engineFor(id)?.ask(question);
      if (answer?.answered) return answer;
      declinedHere ??= answer;
    }
    const others = [...this.engines.keys()].filter((id) => !preferred.includes(id));
    const answers = others.map((id) => this.engineFor(id)?.ask(question)).filter((answer) => answer !== undefined);
    const answered = answers.filter((answer) => answer.answered).sort((a, b) => (b.probability ?? 0) - (a.probability ?? 0));
    const best = answered[0];
    const first = preferred[0] !== undefined ? this.findReport(preferred[0]) : undefined;
    if (best && first) return { ...best, notIn: { report: first.meta.id, title: first.meta.title } };
    if (best) {
      const close = answered.slice(1).filter((answer) => (best.probability ?? 0) - (answer.probability ?? 0) <= ALSO_ANSWERS_WITHIN);
      const alsoIn = close.flatMap((answer) => {
        const report = answer.hits[0] && this.findReport(answer.hits[0].report);
        return report ? [{ report: report.meta.id, title: report.meta.title }] : [];
      });
      return alsoIn.length > 0 ? { ...best, alsoIn } : best;
    }
    const suggestions = [...new Set([...(declinedHere?.suggestions ?? []), ...answers.flatMap((answer) => answer.suggestions)])].slice(
      0,
      3,
    );
    return {
      question,
      answered: false,
      hits: [],
      suggestions,
      probability: Math.max(0, ...answers.map((answer) => answer.probability ?? 0)),
    };
  }

  /** Autocomplete: the preferred reports' questions first, then the others', taken in turn. */
  suggest(typed: string, context: AskContext = {}, limit = 25): string[] {
    const preferred = (context.preferred ?? []).filter((id) => this.engines.has(id));
    const first = preferred.flatMap((id) => this.engineFor(id)?.suggest(typed, limit) ?? []);
    const lists = [...this.engines.keys()]
      .filter((id) => !preferred.includes(id))
      .map((id) => this.engineFor(id)?.suggest(typed, limit) ?? []);
    // Taken in turn so every report is offered, each one's best first.
    const merged: string[] = [...first];
    for (let rank = 0; merged.length < limit && lists.some((list) => rank < list.length); rank++) {
      for (const list of lists) if (list[rank] !== undefined) merged.push(list[rank] as string);
    }
    return [...new Set(merged)].slice(0, limit);
  }

  /** Hits for document keys (`reportId/p7`, `reportId/quote-...`), in that order. */
  hitsForKeys(keys: readonly string[]): Hit[] {
    return keys.flatMap((key) => this.engineFor(key.slice(0, key.indexOf('/')))?.hitsForKeys([key]) ?? []);
  }

  /** The candidate question most alike to the question, read with the words of the given report (or the first). */
  closestQuestion(question: string, candidates: readonly string[], reportId?: string): { index: number; similarity: number } | undefined {
    const engine = (reportId && this.engineFor(reportId)) || this.engines.values().next().value?.engine;
    return engine?.closestQuestion(question, candidates);
  }
}
