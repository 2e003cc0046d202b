import type { ClaimStatus, FactKind } from './knowledge/types.ts';

/** One passage that answers (part of) a question. */
export interface Hit {
  kind: 'paragraph' | 'fact';
  /** For facts: which kind and which one. */
  factKind?: FactKind;
  factId?: string;
  /** Stable key of the indexed document, `reportId/p7` or `reportId/quote-basu-prison`. */
  key: string;
  report: string;
  reportTitle: string;
  reportUrl: string;
  paragraph: number;
  /** Verbatim text of the paragraph (for a fact, the first paragraph it cites). */
  passage: string;
  /** One line: who said it and on whose authority, or "the report". */
  attribution: string;
  speaker?: { name: string; role: string };
  claimStatus?: ClaimStatus;
  /** The disputed, unproven or speculative claim the passage carries, with its rebuttal. */
  claim?: { text: string; claimedBy: string; evidence: string; evidenceBy: string };
  /** For facts: the fact written out as a line, e.g. "30-year-old man, Birmingham: in custody". */
  summary?: string;
  /** Substrings of `passage` (original spelling) to bold. */
  highlights: string[];
  score: number;
  /** 0..1: how much of the question this passage covers and how strongly. */
  confidence: number;
}

export interface Answer {
  question: string;
  /** Set when the question leaned on the conversation before it: what it took from there. */
  fromContext?: TakenFromContext;
  answered: boolean;
  hits: Hit[];
  /** When not answered: up to three questions the report does cover. */
  suggestions: string[];
  /** How sure the decision is that the report answers it (0..1); compares answers from different reports. */
  probability?: number;
  /**
   * Set when the question was asked where a default report is set (a channel's or the server's)
   * and the answer comes from another report: which report was asked first.
   */
  notIn?: { report: string; title: string };
  /**
   * Set when no report comes first here and other reports answer nearly as surely: the answer is
   * one of several, and the reply says so rather than pass one report's answer off as the only one.
   */
  alsoIn?: Array<{ report: string; title: string }>;
}

/** What a follow-up's answer took from the conversation, for the reply to show. */
export interface TakenFromContext {
  /** The conversation's topic: the last question complete by itself. */
  topic: string;
  /** What the last answer was about ("30-year-old man, Birmingham: in custody"). */
  about: string;
  reportId: string;
}

/** Why a question could not be searched at all (empty, too long, only emoji...). */
export interface QuestionProblem {
  code: 'empty' | 'too-long' | 'no-words' | 'only-stop-words';
  message: string;
}
