import {
  ComponentType,
  TextInputStyle,
  type APIButtonComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { VOTE_REASONS, type VoteReason, type VoteTally, type VoteValue } from '../store/types.ts';
import { BUTTON_PREFIX, parseVoteId, voteId, voteReasonId } from './custom-ids.ts';
import { readAnswerMessage, reportOfKey } from './pins.ts';
import { button } from './render.ts';
import { errorReply } from './reply.ts';
import type { ActionRow, BotReply, ComponentHandler, ComponentInvocation } from './types.ts';

/**
 * 👍 and 👎 on every public answer. One vote per member per answer: a click on the other button
 * changes it, a second click on the same one takes it back. The counts show on the buttons; a new
 * 👎 opens a short form (what was wrong), whose submission updates the counts.
 */

const VOTE_EMOJI: Record<VoteValue, string> = { up: '👍', down: '👎' };

const voteLabel = (vote: VoteValue, tally: VoteTally): string => `${VOTE_EMOJI[vote]} ${tally[vote]}`;

/** The two buttons with their counts (a new answer has none). */
export function voteButtons(answerKey: string, tally: VoteTally = { up: 0, down: 0 }): APIButtonComponent[] {
  return (['up', 'down'] as const).map((vote) => button(voteLabel(vote, tally), voteId(vote, answerKey)));
}

/** The message's rows with the vote buttons' counts replaced; every other button stays as it was. */
export function withTally(rows: readonly ActionRow[], tally: VoteTally): ActionRow[] {
  return rows.map((row) => ({
    ...row,
    components: row.components.map((component) => {
      if (component.type !== ComponentType.Button || !('custom_id' in component)) return component;
      const parsed = component.custom_id.startsWith(`${BUTTON_PREFIX.vote}:`)
        ? parseVoteId(component.custom_id.slice(BUTTON_PREFIX.vote.length + 1))
        : undefined;
      return parsed ? { ...component, label: voteLabel(parsed.vote, tally) } : component;
    }),
  }));
}

export const REASON_LABELS: Record<VoteReason, string> = {
  'wrong-passage': 'Wrong passage',
  'not-in-report': 'The report doesn’t say',
  other: 'Something else',
};

export const REASON_FIELD = 'reason';
export const COMMENT_FIELD = 'comment';
const MAX_COMMENT_LENGTH = 500;

/** The 👎 form: what was wrong, and optional words. */
export function voteReasonModal(answerKey: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: voteReasonId(answerKey),
    title: 'What was wrong with this answer?',
    components: [
      {
        type: ComponentType.Label,
        label: 'What was wrong',
        component: {
          type: ComponentType.StringSelect,
          custom_id: REASON_FIELD,
          min_values: 1,
          max_values: 1,
          options: VOTE_REASONS.map((reason) => ({ label: REASON_LABELS[reason], value: reason })),
        },
      },
      {
        type: ComponentType.Label,
        label: 'Anything to add? (optional)',
        component: {
          type: ComponentType.TextInput,
          custom_id: COMMENT_FIELD,
          style: TextInputStyle.Paragraph,
          required: false,
          max_length: MAX_COMMENT_LENGTH,
        },
      },
    ],
  };
}

/** The answer message with new counts, as the reply to the click (the message is updated in place). */
function updatedCounts(invocation: ComponentInvocation, tally: VoteTally): BotReply {
  const { message } = invocation;
  return {
    updateMessage: true,
    content: message.content,
    embeds: message.embeds,
    components: withTally(message.components ?? [], tally),
  };
}

const NOT_AN_ANSWER = 'Votes are for the bot’s answers; this message is not one any more.';

export const voteHandler: ComponentHandler = {
  prefix: BUTTON_PREFIX.vote,
  async handle(invocation, services) {
    const clicked = parseVoteId(invocation.customId.slice(BUTTON_PREFIX.vote.length + 1));
    const answer = readAnswerMessage(invocation.message);
    if (!clicked || !answer) return errorReply(NOT_AN_ANSWER);
    if (!invocation.guildId) return errorReply('Votes are counted in servers.');
    const { guildId } = invocation;
    const { id: messageId, channelId } = invocation.message;
    const userId = invocation.user.id;
    const before = await services.store.getVote(guildId, messageId, userId);
    if (before?.vote === clicked.vote) return updatedCounts(invocation, await services.store.removeVote(guildId, messageId, userId));
    const tally = await services.store.recordVote({
      guildId,
      channelId,
      messageId,
      userId,
      vote: clicked.vote,
      question: answer.question,
      answerKey: answer.answerKey,
      reportId: reportOfKey(answer.answerKey),
      votedAt: new Date().toISOString(),
    });
    if (clicked.vote === 'down') return { modal: voteReasonModal(answer.answerKey) };
    return updatedCounts(invocation, tally);
  },
};

export const voteReasonHandler: ComponentHandler = {
  prefix: BUTTON_PREFIX.voteReason,
  async handle(invocation, services) {
    if (!invocation.guildId) return errorReply('Votes are counted in servers.');
    const chosen = [invocation.fields?.[REASON_FIELD]].flat()[0];
    const reason: VoteReason = VOTE_REASONS.includes(chosen as VoteReason) ? (chosen as VoteReason) : 'other';
    const written = [invocation.fields?.[COMMENT_FIELD]].flat()[0]?.trim().slice(0, MAX_COMMENT_LENGTH);
    const { guildId } = invocation;
    const explained = await services.store.explainVote(guildId, invocation.message.id, invocation.user.id, reason, written || null);
    if (!explained) return errorReply('Your 👎 on this answer was taken back, so there is nothing to explain.');
    return updatedCounts(invocation, await services.store.tallyVotes(guildId, invocation.message.id));
  },
};

/** Moderators see what was said against an answer in /insights; this keeps the lines short there. */
export function describeReasons(reasons: Record<VoteReason, number>): string {
  return VOTE_REASONS.filter((reason) => reasons[reason] > 0)
    .map((reason) => `${REASON_LABELS[reason].toLowerCase()} ×${reasons[reason]}`)
    .join(', ');
}
