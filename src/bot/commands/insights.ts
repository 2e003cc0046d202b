import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, type APIEmbed } from 'discord-api-types/v10';
import type { AskedQuestion, Insights, PinnedAnswer, VotedAnswer, VoteTally } from '../../store/types.ts';
import { canPin, PIN_MESSAGES } from '../permissions.ts';
import { errorReply, escapeUserText, truncate } from '../reply.ts';
import { COLORS } from '../render.ts';
import { defineCommand } from '../define-command.ts';
import type { BotServices } from '../types.ts';
import { describeReasons } from '../votes.ts';

/**
 * `/insights`: what the server's members asked, what the reports could not answer, which answers
 * they found unhelpful, and the pins with their votes, for a period. Moderators only.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
export const PERIODS = {
  day: { label: 'the last 24 hours', ms: DAY_MS },
  week: { label: 'the last 7 days', ms: 7 * DAY_MS },
  month: { label: 'the last 30 days', ms: 30 * DAY_MS },
  all: { label: 'all time', ms: Number.POSITIVE_INFINITY },
} as const;
type Period = keyof typeof PERIODS;

/** Lines per list: each list is one embed, and Discord's limits cut the rest. */
const SHOWN = 10;
/** A pinned answer with this many 👎 (and more 👎 than 👍) is flagged for the moderators to review. */
export const FLAG_PINNED_AFTER_DOWN_VOTES = 3;

function since(period: Period, now: number): Date {
  const { ms } = PERIODS[period];
  return new Date(Number.isFinite(ms) ? now - ms : 0);
}

const quoted = (question: string) => `“${escapeUserText(truncate(question, 120))}”`;
const votes = (tally: VoteTally) => `👍 ${tally.up} 👎 ${tally.down}`;

function passageOf(answerKey: string, services: BotServices): string {
  const [hit] = services.library.hitsForKeys([answerKey]);
  return hit ? `*${escapeUserText(truncate(hit.reportTitle, 60))}*, paragraph ${hit.paragraph}` : `\`${answerKey}\``;
}

function askedLines(questions: readonly AskedQuestion[], count: (entry: AskedQuestion) => string): string {
  return questions.map((entry, index) => `${index + 1}. ${quoted(entry.question)} ${count(entry)}`).join('\n');
}

function unhelpfulLine(answer: VotedAnswer, services: BotServices): string {
  const link = services.discord.messageUrl(answer.guildId, answer.channelId, answer.messageId);
  const reasons = describeReasons(answer.reasons);
  const comments = answer.comments.slice(0, 2).map((comment) => `\n   > ${escapeUserText(truncate(comment, 150))}`);
  return `${quoted(answer.question)} → ${passageOf(answer.answerKey, services)} · ${votes(answer)}${reasons ? ` · ${reasons}` : ''} · [message](${link})${comments.join('')}`;
}

function pinLine(pin: PinnedAnswer & VoteTally, services: BotServices): string {
  const link = services.discord.messageUrl(pin.guildId, pin.channelId, pin.messageId);
  return `${quoted(pin.question)} → ${passageOf(pin.answerKey, services)} · ${votes(pin)} · [message](${link})`;
}

export function renderInsights(insights: Insights, period: Period, services: BotServices): APIEmbed[] {
  const section = (title: string, lines: string, empty: string, color: number): APIEmbed => ({
    title,
    color,
    description: lines || `*${empty}*`,
  });
  const embeds: APIEmbed[] = [];
  if (insights.flaggedPins.length > 0)
    embeds.push(
      section(
        `⚠️ Pinned answers to review (${FLAG_PINNED_AFTER_DOWN_VOTES}+ 👎, more 👎 than 👍)`,
        insights.flaggedPins.map((pin) => pinLine(pin, services)).join('\n'),
        '',
        COLORS.disputed,
      ),
    );
  embeds.push(
    section(
      `Most asked, ${PERIODS[period].label}`,
      askedLines(insights.mostAsked, (entry) => `×${entry.count}${entry.declined > 0 ? ` (declined ${entry.declined})` : ''}`),
      'No questions were asked in this period.',
      COLORS.answer,
    ),
    section(
      'Questions the reports could not answer',
      askedLines(insights.declined, (entry) => `×${entry.declined}`),
      'Every question found an answer.',
      COLORS.notCovered,
    ),
    section(
      'Answers voted unhelpful',
      insights.unhelpful.map((answer) => unhelpfulLine(answer, services)).join('\n'),
      'No answer got a 👎 in this period.',
      COLORS.disputed,
    ),
    section(
      'Pins made in this period',
      insights.pins.map((pin) => pinLine(pin, services)).join('\n'),
      'No answers were pinned in this period.',
      COLORS.pinned,
    ),
  );
  return embeds;
}

export const insightsCommand = defineCommand({
  data: {
    name: 'insights',
    description: 'Moderators: what members asked, what went unanswered, answers voted unhelpful, and pins.',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PIN_MESSAGES.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'period',
        description: 'Which period (default: the last 7 days)',
        choices: (Object.keys(PERIODS) as Period[]).map((period) => ({ name: PERIODS[period].label, value: period })),
      },
    ],
  },
  async execute(invocation, services) {
    if (!canPin(invocation.memberPermissions)) return errorReply('Only moderators can see the insights.');
    if (!invocation.guildId) return errorReply('Use /insights in a server channel.');
    const chosen = invocation.options.period;
    const period: Period = typeof chosen === 'string' && chosen in PERIODS ? (chosen as Period) : 'week';
    const insights = await services.store.insights(invocation.guildId, since(period, Date.now()), {
      limit: SHOWN,
      flagAfterDownVotes: FLAG_PINNED_AFTER_DOWN_VOTES,
    });
    return { ephemeral: true, embeds: renderInsights(insights, period, services) };
  },
});
