import type { QuestionProblem } from '../answer-types.ts';
import { foldForMatching, normalizeText, STOP_WORDS, wordsOf } from '../text.ts';

export const MAX_QUESTION_LENGTH = 300;

/**
 * Checks a question before searching: a clear message instead of a random paragraph. Within a
 * conversation a question of everyday words alone ("where was that?") is a question, read with it.
 */
export function checkQuestion(question: string, options: { inConversation?: boolean } = {}): QuestionProblem | undefined {
  const text = normalizeText(question.replace(/\p{Cc}/gu, ' '));
  if (text.length === 0) return { code: 'empty', message: 'Ask a question about the report, e.g. "what happened?"' };
  if (text.length > MAX_QUESTION_LENGTH) {
    return { code: 'too-long', message: `That question is ${text.length} characters long; please keep it under ${MAX_QUESTION_LENGTH}.` };
  }
  const words = wordsOf(text);
  if (words.length === 0)
    return { code: 'no-words', message: 'I could not find any words in that. Ask a question in words, e.g. "what happened?"' };
  if (!options.inConversation && words.every((word) => STOP_WORDS.has(word))) {
    return { code: 'only-stop-words', message: 'That is too general to look up. Ask about something in the report, e.g. "what happened?"' };
  }
  return undefined;
}

/** The form under which declined questions are counted: "Who shot JR??" and "who shot jr" are one. */
export function normalizeQuestion(question: string): string {
  return foldForMatching(cleanQuestion(question))
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes what must not reach the search: markdown symbols, mentions, custom emoji, control characters. */
export function cleanQuestion(question: string): string {
  return question
    .replace(/<a?:(\w+):\d+>/g, ' ') // custom emoji
    .replace(/<(@[!&]?|#)\d+>/g, ' ') // user, role and channel mentions
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[*_~`|>#]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
