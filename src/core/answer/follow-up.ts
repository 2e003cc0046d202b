import type { Answer, Hit } from '../answer-types.ts';
import { foldForMatching, isEntityToken, wordsOf } from '../text.ts';
import { paragraphKey } from './documents.ts';
import type { PreparedQuestion, QueryWord } from './question.ts';

/**
 * Follow-up questions: "who was arrested in birmingham?" then "how old was he?". A question that
 * leans on the one before is searched with the words of the conversation's topic, at a lower
 * weight than its own, and the passage that answered last is favoured. A question complete by
 * itself is never changed.
 */

/** What a conversation's last answer was about: kept per person and channel (or per thread). */
export interface ConversationContext {
  /** The report the last answer came from; a follow-up asks it first. */
  reportId: string;
  /** The last question complete by itself: what the conversation is about. */
  topic: string;
  /** The paragraphs of the last answer (`reportId/p13`). */
  passages: string[];
  /** A short line for "about …" on a follow-up's answer: the passage's fact, or the topic. */
  about: string;
  /** When the last answer was given (ms since the epoch). */
  at: number;
}

/** How long a conversation lasts: a question after a longer pause starts afresh. */
export const CONVERSATION_WINDOW_MS = 10 * 60 * 1000;

/** How much the topic's words count beside the follow-up's own, in choosing the passage. */
export const TOPIC_WORD_WEIGHT = 0.5;
/** How much more the passage that answered last counts. */
export const PREVIOUS_PASSAGE_BOOST = 1.5;

/**
 * Words that point back at something said before: personal and demonstrative pronouns, and "there"
 * and "then" as a place or time already named. Closed-class English, the same for every report.
 */
const POINTING_WORDS = new Set([
  'he',
  'him',
  'his',
  'she',
  'her',
  'hers',
  'they',
  'them',
  'their',
  'theirs',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'there',
  'one',
  'ones',
]);

/** Openings that continue a conversation: "and the woman?", "what about isis", "so was he…". */
const CONTINUING_OPENINGS = [/^and\b/, /^(what|how) about\b/, /^also\b/, /^so\b/, /^but\b/, /^then\b/];

/** A question of at most this many content words and no name is too short to stand alone ("where?", "how old?"). */
const MAX_WORDS_OF_A_BARE_QUESTION = 1;

/** Whether a question leans on the conversation before it. */
export function leansOnContext(question: string, prepared: PreparedQuestion): boolean {
  const names = prepared.words.filter((word) => isEntityToken(word.word));
  if (names.length > 0) return false;
  const folded = foldForMatching(question).trim();
  const words = wordsOf(folded);
  if (words.some((word, at) => POINTING_WORDS.has(word) && !existential(words, at))) return true;
  if (CONTINUING_OPENINGS.some((opening) => opening.test(folded))) return true;
  return prepared.words.length <= MAX_WORDS_OF_A_BARE_QUESTION;
}

const BE = new Set(['is', 'was', 'are', 'were', 'be', 'been', 'isnt', 'wasnt', "isn't", "wasn't"]);

/** "was there a woman…", "there were two": "there" that points at no place. */
function existential(words: readonly string[], at: number): boolean {
  return words[at] === 'there' && (BE.has(words[at - 1] ?? '') || BE.has(words[at + 1] ?? ''));
}

/** The topic's words, at `weight` beside the follow-up's own; words the follow-up has itself are not repeated. */
export function inheritedWords(own: readonly QueryWord[], topic: readonly QueryWord[], weight: number): QueryWord[] {
  const ownTerms = new Set(own.flatMap((word) => [...word.terms.keys()]));
  const after = own.length;
  return topic
    .filter((word) => ![...word.terms.keys()].some((term) => ownTerms.has(term)))
    .map((word, offset) => ({
      ...word,
      terms: new Map([...word.terms].map(([term, termWeight]) => [term, termWeight * weight])),
      information: word.information * weight,
      position: after + offset + 1,
    }));
}

/** The context after an answer: a declined question leaves it as it was; a follow-up keeps its topic. */
export function contextAfter(answer: Answer, previous: ConversationContext | undefined, at: number): ConversationContext | undefined {
  const lead = answer.hits[0];
  if (!answer.answered || !lead) return previous;
  return contextOf(lead, answer.fromContext ? answer.fromContext.topic : answer.question, at);
}

/** A conversation about `topic` whose last answer was this passage (an answer, or the one a thread starts from). */
export function contextOf(lead: Hit, topic: string, at: number): ConversationContext {
  return {
    reportId: lead.report,
    topic,
    passages: [paragraphKey(lead.report, lead.paragraph)],
    about: lead.kind === 'fact' && lead.summary ? lead.summary : topic.trim().replace(/[?!.]+$/, ''),
    at,
  };
}

/** The context if it is recent enough to continue (a clock a minute behind is forgiven). */
export function currentContext(
  context: ConversationContext | undefined,
  now: number,
  windowMs: number = CONVERSATION_WINDOW_MS,
): ConversationContext | undefined {
  return context && now - context.at <= windowMs && context.at - now <= 60_000 ? context : undefined;
}
