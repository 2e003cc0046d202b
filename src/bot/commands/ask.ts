import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import {
  checkQuestion,
  cleanQuestion,
  contextAfter,
  MAX_QUESTION_LENGTH,
  normalizeQuestion,
  type ConversationContext,
} from '../../core/answer/index.ts';
import type { Answer, Hit } from '../../core/answer-types.ts';
import { memberConversationKey, threadConversationKey } from '../conversations.ts';
import { smallTalk } from '../../core/lexicon/index.ts';
import { findPinnedAnswer, findUpvotedAnswer } from '../pins.ts';
import { preferredReports } from '../report-choice.ts';
import { errorReply, LIMITS, privateReply } from '../reply.ts';
import { renderAnswer, renderNotCovered, type PinnedMark } from '../render.ts';
import type { BotReply, BotServices, Invocation } from '../types.ts';
import { defineCommand } from '../define-command.ts';
import { describeError } from '../../core/errors.ts';

/**
 * Answers a question with the passage and its attribution. Shared by /ask, a mention of the bot
 * and the suggestion buttons, so they all answer alike.
 */
export async function answerQuestion(
  question: string,
  invocation: Invocation,
  services: BotServices,
  options: { private?: boolean } = {},
): Promise<BotReply> {
  const cleaned = cleanQuestion(question);
  const chat = smallTalk(cleaned);
  if (chat) return privateReply(SMALL_TALK_REPLIES[chat]);
  const problem = checkQuestion(cleaned, { inConversation: true });
  if (problem) return errorReply(problem.message);
  const now = Date.now();
  // Independent reads and writes go to the store together: on a database server each is a round trip.
  const [conversation, preferred] = await Promise.all([
    currentConversation(invocation, services, now),
    preferredReports(invocation, services),
  ]);
  const tooGeneralAlone = conversation ? undefined : checkQuestion(cleaned);
  if (tooGeneralAlone) return errorReply(tooGeneralAlone.message);
  const answer = services.library.ask(question, { preferred, ...(conversation && { conversation: conversation.context }) });
  const { guildId } = invocation;
  const bookkeeping = Promise.all([
    rememberConversation(conversation?.key ?? memberConversationKey(invocation), answer, conversation?.context, now, services),
    guildId && recordAsked(guildId, question, answer.answered, services),
    guildId && !answer.answered && recordUnanswered(guildId, question, services),
  ]);
  if (!answer.answered) {
    await bookkeeping;
    return { ...renderNotCovered(answer), ephemeral: options.private === true };
  }
  // Pins and votes were given to questions complete by themselves: a follow-up's words alone ("how old was he?") say too little.
  const [curated] = await Promise.all([
    guildId && !answer.fromContext ? curatedLead(question, answer, guildId, services) : NOT_CURATED,
    bookkeeping,
  ]);
  // A private (ephemeral) answer cannot be pinned in Discord, so it gets no Pin button.
  const reply = renderAnswer(curated.answer ?? answer, {
    askedBy: invocation.user.name,
    ...(curated.pinned && { pinned: curated.pinned }),
    pinnable: invocation.guildId !== null && options.private !== true,
  });
  return { ...reply, ephemeral: options.private === true };
}

/** What moderators and members chose for a question: a pinned answer to lead with, or the hits reordered. */
interface CuratedLead {
  pinned?: { hit: Hit; mark: PinnedMark };
  answer?: Answer;
}
const NOT_CURATED: CuratedLead = {};

/**
 * What moderators and members chose for a question like this one: a pinned answer leads; else
 * the passage members voted helpful comes first among the hits. The same passage among this
 * answer's hits carries the words to bold for this question.
 */
async function curatedLead(question: string, answer: Answer, guildId: string, services: BotServices): Promise<CuratedLead> {
  const samePassage = (wanted: Hit) =>
    answer.hits.find((hit) => hit.report === wanted.report && hit.paragraph === wanted.paragraph) ?? wanted;
  const [found, voted] = await Promise.all([findPinnedAnswer(question, guildId, services), findUpvotedAnswer(question, guildId, services)]);
  if (found) return { pinned: { ...found, hit: samePassage(found.hit) } };
  if (!voted) return {};
  const lead = samePassage(voted);
  return { answer: { ...answer, hits: [lead, ...answer.hits.filter((hit) => hit !== lead && hit.paragraph !== lead.paragraph)] } };
}

/** The thread's conversation when asked in a thread started from an answer, else the member's own here. */
async function currentConversation(
  invocation: Invocation,
  services: BotServices,
  now: number,
): Promise<{ key: string; context: ConversationContext } | undefined> {
  // Outside a thread (when the adapter can tell) there is no thread's context to look for.
  const maybeThread = invocation.channelId !== null && invocation.inThread !== false;
  const keys = [...(maybeThread ? [threadConversationKey(invocation.channelId ?? '')] : []), memberConversationKey(invocation)];
  for (const key of keys) {
    const context = await services.conversations.get(key, now);
    if (context) return { key, context };
  }
  return undefined;
}

/** Bookkeeping, like the unanswered log: losing a conversation's context never costs the answer. */
async function rememberConversation(
  key: string,
  answer: Answer,
  previous: ConversationContext | undefined,
  now: number,
  services: BotServices,
): Promise<void> {
  const next = contextAfter(answer, previous, now);
  if (!next || next === previous) return;
  try {
    await services.conversations.set(key, next);
  } catch (error) {
    services.logger.warn('could not keep the conversation', { error: describeError(error) });
  }
}

/** Greetings and thanks get a word back, not a search (and never count as unanswered). */
const SMALL_TALK_REPLIES = {
  greeting: 'Hi! Ask me anything about the report, in your own words, or type /help.',
  thanks: 'You’re welcome. Ask another question any time.',
} as const;

/** Bookkeeping for /insights, like the unanswered log: a failed write never costs the answer. */
async function recordAsked(guildId: string, question: string, answered: boolean, services: BotServices): Promise<void> {
  try {
    await services.store.recordAsked(guildId, normalizeQuestion(question), answered, new Date());
  } catch (error) {
    services.logger.warn('could not record an asked question', { guild: guildId, error: describeError(error) });
  }
}

/** Bookkeeping: a failed write (a full disk, a locked database) is logged and never costs the person their answer. */
async function recordUnanswered(guildId: string, question: string, services: BotServices): Promise<void> {
  try {
    await services.store.recordUnanswered(guildId, normalizeQuestion(question), new Date());
  } catch (error) {
    services.logger.warn('could not record an unanswered question', { guild: guildId, error: describeError(error) });
  }
}

export const askCommand = defineCommand({
  data: {
    name: 'ask',
    description: 'Ask a question about the reports; the answer quotes the passage and who said it.',
    type: ApplicationCommandType.ChatInput,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, in your own words',
        required: true,
        max_length: MAX_QUESTION_LENGTH,
        autocomplete: true,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see the answer' },
    ],
  },
  async execute(invocation, services) {
    return answerQuestion(invocation.options.question ?? '', invocation, services, {
      private: invocation.options.private === true,
    });
  },
  async autocomplete(invocation, services) {
    const typed = invocation.focused.value;
    // With nothing typed, the questions moderators pinned come first.
    const pinned =
      invocation.guildId && !typed.trim() ? (await services.store.listPins(invocation.guildId)).map((pin) => pin.question) : [];
    const preferred = await preferredReports(invocation, services);
    return [...new Set([...pinned, ...services.library.suggest(typed, { preferred })])]
      .slice(0, LIMITS.choices)
      .map((question) => ({ name: question.slice(0, LIMITS.choiceName), value: question.slice(0, LIMITS.choiceValue) }));
  },
});
