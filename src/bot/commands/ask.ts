import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import {
  checkQuestion,
  cleanQuestion,
  contextAfter,
  MAX_QUESTION_LENGTH,
  normalizeQuestion,
  type ConversationContext,
} from '../../core/answer/index.ts';
import type { Answer } from '../../core/answer-types.ts';
import { memberConversationKey, threadConversationKey } from '../conversations.ts';
import { smallTalk } from '../../core/lexicon/index.ts';
import { findPinnedAnswer } from '../pins.ts';
import { preferredReports } from '../report-choice.ts';
import { errorReply, LIMITS, privateReply } from '../reply.ts';
import { renderAnswer, renderNotCovered } from '../render.ts';
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
  const problem = checkQuestion(cleaned);
  if (problem && problem.code !== 'only-stop-words') return errorReply(problem.message);
  const now = Date.now();
  const conversation = await currentConversation(invocation, services, now);
  // "where was that?" is too general alone, and a question within a conversation.
  if (problem && !conversation) return errorReply(problem.message);
  const answer = services.library.ask(question, {
    preferred: await preferredReports(invocation, services),
    ...(conversation && { conversation: conversation.context }),
  });
  await rememberConversation(conversation?.key ?? memberConversationKey(invocation), answer, conversation?.context, now, services);
  if (!answer.answered) {
    if (invocation.guildId) await recordUnanswered(invocation.guildId, question, services);
    return { ...renderNotCovered(answer), ephemeral: options.private === true };
  }
  const found = invocation.guildId ? await findPinnedAnswer(question, invocation.guildId, services) : undefined;
  // The same passage among this answer's hits carries the words to bold for this question.
  const pinned = found && {
    ...found,
    hit: answer.hits.find((hit) => hit.report === found.hit.report && hit.paragraph === found.hit.paragraph) ?? found.hit,
  };
  // A private (ephemeral) answer cannot be pinned in Discord, so it gets no Pin button.
  const reply = renderAnswer(answer, {
    askedBy: invocation.user.name,
    ...(pinned && { pinned }),
    pinnable: invocation.guildId !== null && options.private !== true,
  });
  return { ...reply, ephemeral: options.private === true };
}

/** The thread's conversation when asked in a thread started from an answer, else the member's own here. */
async function currentConversation(
  invocation: Invocation,
  services: BotServices,
  now: number,
): Promise<{ key: string; context: ConversationContext } | undefined> {
  const keys = [...(invocation.channelId ? [threadConversationKey(invocation.channelId)] : []), memberConversationKey(invocation)];
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
