export { AnswerEngine, type AnswerEngineOptions, type Inspection } from './engine.ts';
export { MAX_HITS } from './hits.ts';
export { checkQuestion, cleanQuestion, MAX_QUESTION_LENGTH, normalizeQuestion } from './question-check.ts';
export { contextAfter, contextOf, currentContext, CONVERSATION_WINDOW_MS, type ConversationContext } from './follow-up.ts';
