import { MessageFlags, type APIEmbed, type APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { BotReply } from './types.ts';

/** Discord's limits, in one place. https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer and author name, over all embeds. */
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
} as const;

/** The mark left where text was cut to fit. */
export const CUT_MARK = '…';
const FIELDS_CUT_NOTE = '(some fields were cut to fit Discord’s limits)';

/** Cuts text to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - CUT_MARK.length)).trimEnd()}${CUT_MARK}`;
}

/**
 * Makes user text inert when echoed: markdown cannot restyle the reply, and @everyone / @here /
 * mentions cannot ping even if a client ignored allowed_mentions (a zero-width space breaks them).
 */
export function escapeUserText(text: string): string {
  const escaped = stripControlCharacters(text)
    .replace(/[\\*_~`|[\]]/g, (character) => `\\${character}`)
    // Headings, quotes and lists only start a line.
    .replace(/^(\s*)([#>-])/gm, '$1\\$2');
  return neutralizeMentions(escaped);
}

/**
 * Control characters (ESC, BEL...) and bidirectional overrides removed: echoed text cannot drive
 * a terminal or reverse what the reader sees. Line breaks and tabs stay.
 */
export function stripControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** @everyone, @here and <@id> mentions shown as text, broken by a zero-width space so they cannot ping. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1').replace(/<(@[!&]?|#)(\d+)>/g, '<$1\u200b$2>');
}

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Every embed limit enforced; what is cut is marked. */
export function fitEmbed(embed: APIEmbed, budget: number = LIMITS.embedTotal): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = truncate(fitted.title, LIMITS.embedTitle);
  if (fitted.description !== undefined) fitted.description = truncate(fitted.description, LIMITS.embedDescription);
  if (fitted.author) fitted.author = { ...fitted.author, name: truncate(fitted.author.name, LIMITS.embedAuthorName) };
  if (fitted.footer) fitted.footer = { ...fitted.footer, text: truncate(fitted.footer.text, LIMITS.embedFooter) };
  let cutFields = false;
  if (fitted.fields) {
    cutFields = fitted.fields.length > LIMITS.embedFields;
    fitted.fields = fitted.fields.slice(0, LIMITS.embedFields).map((field) => ({
      ...field,
      name: truncate(field.name, LIMITS.embedFieldName),
      value: truncate(field.value || '\u200b', LIMITS.embedFieldValue),
    }));
  }
  // Over the total: drop fields from the end first, then shorten the description.
  const footerRoom = FIELDS_CUT_NOTE.length + 3;
  while (embedSize(fitted) + (cutFields ? footerRoom : 0) > budget && fitted.fields && fitted.fields.length > 0) {
    fitted.fields = fitted.fields.slice(0, -1);
    cutFields = true;
  }
  if (cutFields) {
    const footer = fitted.footer?.text ? `${fitted.footer.text} · ${FIELDS_CUT_NOTE}` : FIELDS_CUT_NOTE;
    fitted.footer = { ...fitted.footer, text: truncate(footer, LIMITS.embedFooter) };
  }
  // Still over: shorten the description, then the footer, author line and title.
  const shorten = (text: string, max: number): string => (max <= 0 ? '' : truncate(text, max));
  let overflow = embedSize(fitted) - budget;
  if (overflow > 0 && fitted.description) {
    fitted.description = shorten(fitted.description, fitted.description.length - overflow);
    overflow = embedSize(fitted) - budget;
  }
  if (overflow > 0 && fitted.footer) {
    fitted.footer = { ...fitted.footer, text: shorten(fitted.footer.text, fitted.footer.text.length - overflow) };
    overflow = embedSize(fitted) - budget;
  }
  if (overflow > 0 && fitted.author) {
    fitted.author = { ...fitted.author, name: shorten(fitted.author.name, fitted.author.name.length - overflow) };
    overflow = embedSize(fitted) - budget;
  }
  if (overflow > 0 && fitted.title) fitted.title = shorten(fitted.title, fitted.title.length - overflow);
  return fitted;
}

/**
 * The one way a reply becomes a Discord message payload: limits enforced, nobody pinged
 * (`allowed_mentions: { parse: [] }`), ephemeral as a flag.
 */
export function toMessagePayload(reply: BotReply): APIInteractionResponseCallbackData {
  const wanted = (reply.embeds ?? []).slice(0, LIMITS.embedsPerMessage);
  // Measured once without a total: an embed that needs no cutting needs no more than that (and room for the cut note).
  const budgets = shareBudget(
    wanted.map((embed) => embedSize(fitEmbed(embed, Number.MAX_SAFE_INTEGER)) + FIELDS_CUT_NOTE.length + 3),
    LIMITS.embedTotal,
  );
  const embeds = wanted.map((embed, index) => fitEmbed(embed, budgets[index] ?? 0));
  const components = (reply.components ?? []).slice(0, LIMITS.rowsPerMessage).map((row) => ({
    ...row,
    components: row.components
      .slice(0, LIMITS.buttonsPerRow)
      .map((component) =>
        'label' in component && typeof component.label === 'string'
          ? { ...component, label: truncate(component.label, LIMITS.buttonLabel) }
          : component,
      ),
  }));
  const payload: APIInteractionResponseCallbackData = {
    content: truncate(reply.content ?? '', LIMITS.content),
    embeds,
    components,
    allowed_mentions: { parse: [] },
  };
  if (reply.ephemeral) payload.flags = MessageFlags.Ephemeral;
  return payload;
}

/**
 * Splits the message's character budget among its embeds: small ones get what they need, and what
 * is left is shared evenly by the large ones, so one long list cannot crowd out the others.
 */
function shareBudget(sizes: readonly number[], total: number): number[] {
  const budgets = new Array<number>(sizes.length).fill(0);
  let left = total;
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size);
  order.forEach(({ size, index }, rank) => {
    const share = Math.floor(left / (order.length - rank));
    budgets[index] = Math.min(size, share);
    left -= budgets[index] ?? 0;
  });
  return budgets;
}

/** Marks every refusal and failure alike, so people tell them from answers at a glance. */
export const ERROR_PREFIX = '❌ ';

/** The one way a refusal or failure reaches the person who acted: the fixed prefix, only they see it. */
export function errorReply(message: string): BotReply {
  return { content: `${ERROR_PREFIX}${message}`, ephemeral: true };
}

/** A short message only the person who acted sees, that is not an error ("Unpinned …", small talk). */
export function privateReply(content: string): BotReply {
  return { content, ephemeral: true };
}
