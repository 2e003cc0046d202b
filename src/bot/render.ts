import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import type { Answer, Hit } from '../core/answer-types.ts';
import type { ClaimStatus, Paragraph, Report } from '../core/knowledge/types.ts';
import { wholeWordsPattern } from '../core/text.ts';
import { askId, fullParagraphId, otherPassagesId, pinId, threadId } from './custom-ids.ts';
import { voteButtons } from './votes.ts';
import { escapeUserText, LIMITS, neutralizeMentions, privateReply, truncate } from './reply.ts';
import type { ActionRow, BotReply } from './types.ts';

/** Pure rendering of answers into Discord messages. Limits are enforced later, by `toMessagePayload`. */

export const COLORS = { answer: 0x2b6cb0, pinned: 0xd69e2e, disputed: 0xc53030, notCovered: 0x718096 } as const;

export const CLAIM_MARKS: Record<ClaimStatus, string> = {
  disputed: '⚠️ Disputed claim',
  unproven: '❔ Unproven claim',
  speculation: '💭 Speculation',
  confirmed: '✅ Confirmed',
};

/** A footer for a list that holds facts found automatically, so readers know no one checked them. */
export function automaticNote(items: ReadonlyArray<{ origin?: 'automatic' }>): { footer?: { text: string } } {
  const automatic = items.filter((item) => item.origin === 'automatic').length;
  if (automatic === 0) return {};
  const all = automatic === items.length;
  return {
    footer: {
      text: `${all ? 'Found' : `${automatic} of ${items.length} found`} automatically from the report's text; the operator can correct them.`,
    },
  };
}

/** How a follow-up's answer starts: what it took from the conversation. */
export const FOLLOW_UP_MARK = '↪️ *Following on, about ';

/** The question is shown in the embed's author line; pins read it back from there. */
export const QUESTION_PREFIX = 'Q: ';

/** A question too long for the author line is also given whole in a field of this name. */
const FULL_QUESTION_FIELD = 'Question';

export function questionFromAnswerEmbed(embed: APIEmbed | undefined): string | undefined {
  const full = embed?.fields?.find((field) => field.name === FULL_QUESTION_FIELD)?.value;
  const name = embed?.author?.name;
  const shown = full ?? (name?.startsWith(QUESTION_PREFIX) ? name.slice(QUESTION_PREFIX.length) : undefined);
  return shown?.replace(/\u200b/g, '');
}

export interface PinnedMark {
  url: string;
}

/** Bolds the matched words inside verbatim text; everything else is escaped so it stays literal. */
export function boldHighlights(text: string, highlights: string[]): string {
  const pattern = wholeWordsPattern(highlights);
  if (!pattern) return escapeUserText(text);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    result += `${escapeUserText(text.slice(last, match.index))}**${escapeUserText(match[0])}**`;
    last = match.index + match[0].length;
  }
  return result + escapeUserText(text.slice(last));
}

/** The sentences of a paragraph that hold the matched words, verbatim; "…" marks what is left out. */
export function excerpt(passage: string, highlights: string[]): string {
  const sentences = passage.split(/(?<=[.!?][”"’]?)\s+(?=[A-Z“"‘])/u);
  if (sentences.length <= 2 || highlights.length === 0) return passage;
  const keep = sentences.map((sentence) => highlights.some((word) => sentence.includes(word)));
  if (!keep.some(Boolean)) return passage;
  const parts: string[] = [];
  keep.forEach((kept, index) => {
    if (kept) parts.push(sentences[index] ?? '');
    else if (parts.at(-1) !== CUT) parts.push(CUT);
  });
  return parts.join(' ');
}
const CUT = '…';

function sourceLine(hit: Pick<Hit, 'reportTitle' | 'reportUrl' | 'paragraph'>): string {
  const title = escapeUserText(hit.reportTitle);
  const linked = hit.reportUrl ? `[${title}](${hit.reportUrl})` : `*${title}*`;
  return `${linked}, paragraph ${hit.paragraph}`;
}

function claimField(hit: Hit): APIEmbedField | undefined {
  if (!hit.claimStatus || !hit.claim) return undefined;
  return {
    name: CLAIM_MARKS[hit.claimStatus],
    value: `${escapeUserText(hit.claim.text)}\n*Claimed by* ${escapeUserText(hit.claim.claimedBy)}.\n*Evidence* (${escapeUserText(hit.claim.evidenceBy)}): ${escapeUserText(hit.claim.evidence)}`,
  };
}

type ActionButtonStyle = ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger;

export function button(label: string, customId: string, style: ActionButtonStyle = ButtonStyle.Secondary): APIButtonComponent {
  return { type: ComponentType.Button, style, label: truncate(label, LIMITS.buttonLabel), custom_id: customId };
}

export function row(...buttons: APIButtonComponent[]): ActionRow {
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The embed for one hit: passage with matched words in bold, who said it, the source, claim mark. */
export function hitEmbed(
  hit: Hit,
  options: { question?: string; askedBy?: string; pinned?: PinnedMark; fromContext?: string } = {},
): APIEmbed {
  const lines: string[] = [];
  // A follow-up says what it took from the question before, so a wrong guess is plain to see.
  if (options.fromContext) lines.push(`${FOLLOW_UP_MARK}${escapeUserText(options.fromContext)}*`);
  if (options.pinned) lines.push(`📌 **Pinned by the moderators** · [view the pinned message](${options.pinned.url})`);
  if (hit.claimStatus) lines.push(`**${CLAIM_MARKS[hit.claimStatus]}**`);
  lines.push(`> ${boldHighlights(excerpt(hit.passage, hit.highlights), hit.highlights)}`);
  const fields: APIEmbedField[] = [
    { name: 'Who said it', value: escapeUserText(capitalize(hit.attribution)) },
    { name: 'Source', value: sourceLine(hit) },
  ];
  if (hit.kind === 'fact' && hit.summary && hit.factKind !== 'quote') fields.push({ name: 'In short', value: escapeUserText(hit.summary) });
  const claim = claimField(hit);
  if (claim) fields.push(claim);
  const embed: APIEmbed = {
    color: options.pinned ? COLORS.pinned : hit.claimStatus ? COLORS.disputed : COLORS.answer,
    description: lines.join('\n'),
    fields,
  };
  // The author line shows no markdown, so only mentions need neutralising there.
  if (options.question !== undefined) {
    const line = `${QUESTION_PREFIX}${neutralizeMentions(options.question)}`;
    embed.author = { name: truncate(line, LIMITS.embedAuthorName) };
    // Pins read the question back from the message: keep it whole when the author line cuts it.
    if (line.length > LIMITS.embedAuthorName) fields.unshift({ name: FULL_QUESTION_FIELD, value: neutralizeMentions(options.question) });
  }
  if (options.askedBy !== undefined)
    embed.footer = { text: `Asked by ${options.askedBy} · confidence ${Math.round(hit.confidence * 100)}%` };
  return embed;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface RenderAnswerOptions {
  askedBy: string;
  /** The pinned answer to lead with, if a moderator pinned one for a close question. */
  pinned?: { hit: Hit; mark: PinnedMark };
  /** Whether the Pin, vote and thread buttons are offered (only on public answers in a server). */
  pinnable?: boolean;
}

/** An answered question: the best passage, and buttons for the full paragraph, the other passages and pinning. */
export function renderAnswer(answer: Answer, options: RenderAnswerOptions): BotReply {
  const [best, ...others] = answer.hits;
  const lead = options.pinned?.hit ?? best;
  if (!lead) return renderNotCovered(answer);
  const rest = (options.pinned ? answer.hits.filter((hit) => hit.key !== lead.key && hit.paragraph !== lead.paragraph) : others).slice(
    0,
    4,
  );
  const embeds = [
    hitEmbed(lead, {
      question: answer.question,
      askedBy: options.askedBy,
      ...(options.pinned && { pinned: options.pinned.mark }),
      ...(answer.fromContext && { fromContext: answer.fromContext.about }),
    }),
  ];
  if (options.pinned && best && best.paragraph !== lead.paragraph) embeds.push(hitEmbed(best));

  const buttons = [button('Full paragraph', fullParagraphId({ report: lead.report, paragraph: lead.paragraph }))];
  if (rest.length > 0)
    buttons.push(
      button(`Other passages (${rest.length})`, otherPassagesId(rest.map((hit) => ({ report: hit.report, paragraph: hit.paragraph })))),
    );
  if (options.pinnable !== false) buttons.push(button('Pin', pinId(lead.key), ButtonStyle.Primary));
  // Public answers in a server take votes and can start a thread; private ones cannot be seen by others.
  const rows = [row(...buttons)];
  if (options.pinnable !== false) rows.push(row(...voteButtons(lead.key), button('Ask in a thread', threadId(lead.key))));
  // Asked where another report comes first: say that one does not answer it.
  const elsewhere =
    answer.notIn && lead.report !== answer.notIn.report
      ? {
          content: `*${escapeUserText(answer.notIn.title)}* (the report for this channel) doesn’t answer that; this is from *${escapeUserText(lead.reportTitle)}*.`,
        }
      : {};
  // Several reports answer and none is this channel's: say so, rather than pass one off as the only answer.
  const alsoIn = (answer.alsoIn ?? []).filter((other) => other.report !== lead.report);
  const several =
    !answer.notIn && alsoIn.length > 0
      ? {
          content: `This is from *${escapeUserText(lead.reportTitle)}*; ${alsoIn.map((other) => `*${escapeUserText(other.title)}*`).join(' and ')} ${alsoIn.length === 1 ? 'answers' : 'answer'} it too. Add the report to your question, or a moderator can set this channel’s report with /report use.`,
        }
      : {};
  return { ...elsewhere, ...several, embeds, components: rows };
}

/** The kind "the report doesn't say" reply, with suggestions as buttons that ask them. */
export function renderNotCovered(answer: Pick<Answer, 'question' | 'suggestions'>): BotReply {
  const question = answer.question.trim() ? `“${escapeUserText(truncate(answer.question.trim(), 200))}”` : 'that';
  const content =
    `I couldn’t find anything in the report about ${question}, so I won’t guess.` +
    (answer.suggestions.length > 0 ? ' Here is what it does cover:' : '');
  const components =
    answer.suggestions.length > 0
      ? [row(...answer.suggestions.slice(0, 3).map((suggestion) => button(suggestion, askId(suggestion))))]
      : [];
  return { content, components };
}

/** One paragraph in full, with its section and where it sits in the report. */
export function renderParagraph(report: Report, paragraph: Paragraph): BotReply {
  const heading = paragraph.section ? `**${escapeUserText(paragraph.section.replace(/:$/, ''))}**\n` : '';
  return {
    ephemeral: true,
    embeds: [
      {
        title: `Paragraph ${paragraph.number} of ${report.paragraphs.length}`,
        description: `${heading}> ${escapeUserText(paragraph.text)}`,
        fields: [
          {
            name: 'Source',
            value: sourceLine({ reportTitle: report.meta.title, reportUrl: report.meta.url, paragraph: paragraph.number }),
          },
        ],
        color: COLORS.answer,
      },
    ],
  };
}

/** The next hits of an answer, for whoever clicked "Other passages". */
export function renderOtherPassages(hits: Hit[]): BotReply {
  if (hits.length === 0) return privateReply('There are no other passages for this answer.');
  return {
    ephemeral: true,
    embeds: hits.slice(0, 4).map((hit) => hitEmbed(hit)),
    components: [row(...hits.slice(0, 5).map((hit) => button(`Paragraph ${hit.paragraph}`, fullParagraphId(hit))))],
  };
}
