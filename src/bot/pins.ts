import type { Hit } from '../core/answer-types.ts';
import type { PinnedAnswer } from '../store/types.ts';
import { BUTTON_PREFIX, splitCustomId } from './custom-ids.ts';
import { canPin, ONLY_MODERATORS } from './permissions.ts';
import { questionFromAnswerEmbed, type PinnedMark } from './render.ts';
import { errorReply, privateReply } from './reply.ts';
import { DiscordActionError, type BotReply, type BotServices, type Invocation, type MessageSnapshot } from './types.ts';

/** How alike a question must be to a pinned one for the pinned answer to lead (0..1, see questionSimilarity). */
export const PINNED_SIMILARITY = 0.6;

/** The pinned answer for a question close to one a moderator pinned in this server, if any. */
export async function findPinnedAnswer(
  question: string,
  guildId: string,
  services: BotServices,
): Promise<{ hit: Hit; mark: PinnedMark } | undefined> {
  const pin = closestAnswered(question, await services.store.listPins(guildId), services);
  const [hit] = pin ? services.library.hitsForKeys([pin.answerKey]) : [];
  if (!pin || !hit) return undefined;
  return { hit, mark: { url: services.discord.messageUrl(pin.guildId, pin.channelId, pin.messageId) } };
}

/** The passage members voted helpful (more 👍 than 👎) for a question close to this one, if any. */
export async function findUpvotedAnswer(question: string, guildId: string, services: BotServices): Promise<Hit | undefined> {
  const voted = closestAnswered(question, await services.store.listUpvotedAnswers(guildId, UPVOTED_CONSIDERED), services);
  return voted ? services.library.hitsForKeys([voted.answerKey])[0] : undefined;
}

/** The most voted answers looked at for a question: the best-liked ones, which a server's questions repeat. */
const UPVOTED_CONSIDERED = 200;

/**
 * The stored answer whose question is most alike to this one, at least PINNED_SIMILARITY alike;
 * each question is read with the words of the report it was answered from.
 */
function closestAnswered<T extends { question: string; answerKey: string }>(
  question: string,
  answered: readonly T[],
  services: BotServices,
): T | undefined {
  let found: T | undefined;
  let best = PINNED_SIMILARITY;
  for (const reportId of new Set(answered.map((candidate) => reportOfKey(candidate.answerKey)))) {
    const ofReport = answered.filter((candidate) => reportOfKey(candidate.answerKey) === reportId);
    const closest = services.library.closestQuestion(
      question,
      ofReport.map((candidate) => candidate.question),
      reportId,
    );
    if (closest && closest.similarity >= best) {
      best = closest.similarity;
      found = ofReport[closest.index];
    }
  }
  return found;
}

/** The report a document key belongs to: `westminster-attack/p7` → `westminster-attack`. */
export function reportOfKey(answerKey: string): string {
  return answerKey.slice(0, answerKey.indexOf('/'));
}

/** What an answer message says about itself: the question (embed author line) and the passage (Pin button). */
export function readAnswerMessage(message: MessageSnapshot): { question: string; answerKey: string } | undefined {
  const question = questionFromAnswerEmbed(message.embeds[0]);
  const pinButton = message.buttonIds.map(splitCustomId).find(({ prefix }) => prefix === BUTTON_PREFIX.pin);
  if (!question || !pinButton?.argument) return undefined;
  return { question, answerKey: pinButton.argument };
}

export type PinOutcome = { kind: 'pinned' } | { kind: 'already-pinned' } | { kind: 'refused'; message: string };

/**
 * Pins an answer in Discord, then records it. If Discord refuses, nothing is recorded; if the
 * record fails, the Discord pin is undone, so the two never disagree.
 */
export async function pinAnswer(message: MessageSnapshot, invocation: Invocation, services: BotServices): Promise<PinOutcome> {
  if (!canPin(invocation.memberPermissions)) return { kind: 'refused', message: ONLY_MODERATORS };
  if (!invocation.guildId) return { kind: 'refused', message: 'Answers can only be pinned in a server channel.' };
  // A button or menu acts on a message in its own channel; anything else is a forged payload.
  if (invocation.channelId !== null && message.channelId !== invocation.channelId) {
    return { kind: 'refused', message: 'That message is not in this channel, so I will not pin it from here.' };
  }
  if (services.botUserId !== undefined && message.authorId !== services.botUserId) {
    return { kind: 'refused', message: 'I can only pin my own answers. Use “Pin answer” on a message of mine.' };
  }
  const answer = readAnswerMessage(message);
  if (!answer) return { kind: 'refused', message: 'That message is not one of my answers, so there is nothing to pin.' };
  if (await services.store.getPin(invocation.guildId, message.id)) return { kind: 'already-pinned' };

  try {
    await services.discord.pinMessage(message.channelId, message.id);
  } catch (error) {
    if (error instanceof DiscordActionError && error.status === 403) {
      return {
        kind: 'refused',
        message:
          'I don’t have permission to pin in this channel. Give me the **Pin Messages** permission (or Manage Messages) here, then try again.',
      };
    }
    throw error;
  }
  const pin: PinnedAnswer = {
    guildId: invocation.guildId,
    channelId: message.channelId,
    messageId: message.id,
    question: answer.question,
    answerKey: answer.answerKey,
    pinnedBy: invocation.user.id,
    pinnedAt: new Date().toISOString(),
  };
  try {
    const { created } = await services.store.recordPin(pin);
    return created ? { kind: 'pinned' } : { kind: 'already-pinned' };
  } catch (error) {
    await services.discord.unpinMessage(message.channelId, message.id).catch(() => undefined);
    throw error;
  }
}

/** A pin's outcome as a reply: a refusal is an error, the rest a private note. */
export function pinOutcomeReply(outcome: PinOutcome): BotReply {
  return outcome.kind === 'refused' ? errorReply(outcome.message) : privateReply(describePinOutcome(outcome));
}

export function describePinOutcome(outcome: PinOutcome): string {
  switch (outcome.kind) {
    case 'pinned':
      return '📌 Pinned. Anyone who asks something close to this question will get this answer first.';
    case 'already-pinned':
      return 'This answer is already pinned.';
    case 'refused':
      return outcome.message;
  }
}

/** Removes the Discord pin (if it is still there) and the record. */
export async function unpinAnswer(pin: PinnedAnswer, services: BotServices): Promise<void> {
  try {
    await services.discord.unpinMessage(pin.channelId, pin.messageId);
  } catch (error) {
    // Already unpinned or deleted in Discord: the record still goes.
    if (!(error instanceof DiscordActionError && error.status === 404)) throw error;
  }
  await services.store.removePin(pin.guildId, pin.messageId);
}

/**
 * Brings the records in line with the channel's actual pins, for pins made or removed in
 * Discord's own pin menu: a bot answer pinned there is recorded; a record whose message is no
 * longer pinned is dropped.
 */
export async function reconcileChannelPins(
  guildId: string,
  channelId: string,
  services: BotServices,
): Promise<{ added: number; removed: number }> {
  const pinnedMessages = await services.discord.listPinnedMessages(channelId);
  const pinnedIds = new Set(pinnedMessages.map((message) => message.id));
  let added = 0;
  let removed = 0;
  for (const pin of await services.store.listPins(guildId)) {
    if (pin.channelId === channelId && !pinnedIds.has(pin.messageId)) {
      await services.store.removePin(guildId, pin.messageId);
      removed++;
    }
  }
  for (const message of pinnedMessages) {
    if (services.botUserId !== undefined && message.authorId !== services.botUserId) continue;
    const answer = readAnswerMessage(message);
    if (!answer) continue;
    const { created } = await services.store.recordPin({
      guildId,
      channelId,
      messageId: message.id,
      question: answer.question,
      answerKey: answer.answerKey,
      pinnedBy: 'pinned in Discord',
      pinnedAt: new Date().toISOString(),
    });
    if (created) added++;
  }
  return { added, removed };
}
