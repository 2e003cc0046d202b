import { contextOf } from '../core/answer/index.ts';
import { threadConversationKey } from './conversations.ts';
import { BUTTON_PREFIX } from './custom-ids.ts';
import { readAnswerMessage } from './pins.ts';
import { errorReply, privateReply, truncate } from './reply.ts';
import { DiscordActionError, type BotServices, type ComponentHandler } from './types.ts';

/**
 * "Ask in a thread" on an answer: a public thread starts from the answer, and questions in it are
 * read with that answer as their context ("how old was he?"), whoever asks them.
 */

/** Discord's JSON error codes a thread start can meet (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json). */
const DISCORD_CODES = { missingPermissions: 50013, threadArchived: 50083, threadAlreadyExists: 160004, wrongChannelType: 50024 } as const;

/** Whether any message in a bot thread is a question (the server's choice), or only mentions. */
export const THREAD_REPLIES_SETTING = 'thread-replies';
export type ThreadReplies = 'mentions' | 'all';

export async function threadReplies(services: BotServices, guildId: string): Promise<ThreadReplies> {
  return (await services.store.getGuildSetting(guildId, THREAD_REPLIES_SETTING)) === 'all' ? 'all' : 'mentions';
}

const THREAD_NAME_LIMIT = 100;

/** Why Discord would not start the thread, in words for the person who clicked; undefined for the unexpected. */
function refusal(error: DiscordActionError, threadId: string): string | undefined {
  switch (error.code) {
    case DISCORD_CODES.missingPermissions:
      return 'I can’t start a thread here: I need the Create Public Threads permission in this channel. A moderator can grant it.';
    case DISCORD_CODES.threadAlreadyExists:
      return `There is already a thread for this answer: <#${threadId}>. Ask there.`;
    case DISCORD_CODES.threadArchived:
      return `The thread for this answer is archived: a moderator can reopen it, or ask here.`;
    case DISCORD_CODES.wrongChannelType:
      return 'Threads can’t be started here (this is a thread already, or a channel without threads). Ask here instead.';
    default:
      return undefined;
  }
}

/** The thread's conversation starts from the answer it was started from. */
async function giveThreadContext(
  threadId: string,
  answer: { question: string; answerKey: string },
  services: BotServices,
  options: { unlessKept: boolean },
): Promise<void> {
  const key = threadConversationKey(threadId);
  const now = Date.now();
  if (options.unlessKept && (await services.conversations.get(key, now))) return;
  const [hit] = services.library.hitsForKeys([answer.answerKey]);
  if (hit) await services.conversations.set(key, contextOf(hit, answer.question, now));
}

export const threadHandler: ComponentHandler = {
  prefix: BUTTON_PREFIX.thread,
  async handle(invocation, services) {
    const answer = readAnswerMessage(invocation.message);
    if (!answer || !invocation.guildId) return errorReply('Threads start from the bot’s answers in a server channel.');
    const { message } = invocation;
    let threadId: string;
    try {
      threadId = await services.discord.startThread(message.channelId, message.id, truncate(answer.question, THREAD_NAME_LIMIT));
    } catch (error) {
      // Discord names a thread started from a message after the message.
      const explained = error instanceof DiscordActionError ? refusal(error, message.id) : undefined;
      if (!explained) throw error;
      // A thread a member started by hand from this answer gets the answer's context all the same.
      if (error instanceof DiscordActionError && error.code === DISCORD_CODES.threadAlreadyExists)
        await giveThreadContext(message.id, answer, services, { unlessKept: true });
      return errorReply(explained);
    }
    await giveThreadContext(threadId, answer, services, { unlessKept: false });
    const any = (await threadReplies(services, invocation.guildId)) === 'all';
    return privateReply(
      `Started a thread for this answer: <#${threadId}>. ${any ? 'Ask there' : 'Mention me there with your question'}; I read it with this answer in mind.`,
    );
  },
};
