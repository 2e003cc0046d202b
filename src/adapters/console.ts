import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ApplicationCommandOptionType, type APIApplicationCommandOption, type APIEmbed } from 'discord-api-types/v10';
import { findCommand } from '../bot/commands/index.ts';
import { dispatchCommand, dispatchComponent } from '../bot/dispatch.ts';
import { describePinOutcome, pinAnswer } from '../bot/pins.ts';
import { BUTTON_PREFIX } from '../bot/custom-ids.ts';
import { toMessagePayload } from '../bot/reply.ts';
import { QUESTION_PREFIX } from '../bot/render.ts';
import {
  DiscordActionError,
  type BotReply,
  type BotServices,
  type DiscordActions,
  type Invocation,
  type MessageSnapshot,
  type OptionValue,
} from '../bot/types.ts';
import { COMMENT_FIELD, REASON_FIELD, REASON_LABELS } from '../bot/votes.ts';
import { VOTE_REASONS } from '../store/types.ts';
import type { BotStore } from '../store/types.ts';
import type { BaseServices } from '../bot/types.ts';
import { describeError } from '../core/errors.ts';

/**
 * The local console: the same commands and answers as on Discord, as text on a terminal.
 * `/ask who was arrested?`, `/arrests`, `/help`... A line without a slash is a question; a number
 * clicks that button of the last answer. Works from a pipe too, and ends at the end of input.
 * The person at the console acts as a moderator of a one-channel server, so /pin works.
 */
const CONSOLE_BOT_ID = 'console-bot';
const ALL_PERMISSIONS = (1n << 53n) - 1n;

const CONSOLE_INVOCATION: Invocation = {
  guildId: 'console',
  channelId: 'console',
  user: { id: 'console-user', name: 'you' },
  memberPermissions: ALL_PERMISSIONS,
  inThread: false,
};

/**
 * On the console the store's records are the channel's pins: pinning needs no Discord, and pins
 * outlive the session like pins on a server do.
 */
function consoleActions(store: BotStore): DiscordActions {
  return {
    async pinMessage() {},
    async unpinMessage() {},
    async listPinnedMessages() {
      return (await store.listPins(CONSOLE_INVOCATION.guildId ?? '')).map((pin) => ({
        id: pin.messageId,
        channelId: pin.channelId,
        authorId: CONSOLE_BOT_ID,
        content: '',
        embeds: [{ author: { name: `${QUESTION_PREFIX}${pin.question}` } }],
        buttonIds: [`${BUTTON_PREFIX.pin}:${pin.answerKey}`],
      }));
    },
    async startThread() {
      throw new DiscordActionError('The console has no threads', 400, CONSOLE_HAS_NO_THREADS);
    },
    messageUrl: (_guildId, _channelId, messageId) => `console message #${messageId}`,
  };
}

/** Discord's "cannot execute action on this channel type": the console is one channel, without threads. */
const CONSOLE_HAS_NO_THREADS = 50024;

/** The 👎 form on a terminal: a number for what was wrong, then any words. */
function formAsText(): string {
  const choices = VOTE_REASONS.map((reason, index) => `${index + 1} ${REASON_LABELS[reason]}`).join(', ');
  return `What was wrong with this answer? Type ${choices}, optionally followed by a few words (e.g. "1 it quotes the wrong person"). An empty line skips it.`;
}

/** The form's fields from a line like "2 the report never says so"; undefined when no choice was typed. */
function formAnswer(line: string): Record<string, string | string[]> | undefined {
  const match = /^(\d+)\s*(.*)$/s.exec(line);
  const reason = match ? VOTE_REASONS[Number(match[1]) - 1] : undefined;
  if (!reason) return undefined;
  return { [REASON_FIELD]: [reason], [COMMENT_FIELD]: match?.[2]?.trim() ?? '' };
}

/** Discord's markdown as a terminal shows it: bold and italic as styles (or plain in a pipe), links as "text (address)", escapes undone. */
const MARKDOWN =
  /\\([\\*_~`|[\]#>-])|`([^`\n]+)`|\*\*((?:\\.|[^\n])+?)\*\*|(?<![\\*\w])\*(?![\s*])((?:\\.|[^*\n])+?)\*(?!\w)|\[((?:\\.|[^\]\n])+)\]\(([^)\n]+)\)/g;

export function renderMarkdown(text: string, color: boolean): string {
  return text
    .replace(
      MARKDOWN,
      (
        _match,
        escaped: string | undefined,
        code: string | undefined,
        strong: string | undefined,
        emphasis: string | undefined,
        label: string | undefined,
        url: string | undefined,
      ) => {
        if (escaped !== undefined) return escaped;
        if (code !== undefined) return code;
        if (strong !== undefined) return color ? `\x1b[1m${renderMarkdown(strong, color)}\x1b[22m` : renderMarkdown(strong, color);
        if (emphasis !== undefined) return color ? `\x1b[3m${renderMarkdown(emphasis, color)}\x1b[23m` : renderMarkdown(emphasis, color);
        return `${renderMarkdown(label ?? '', color)} (${url})`;
      },
    )
    .replace(/\u200b/g, '');
}

function renderEmbed(embed: APIEmbed, bold: (text: string) => string): string[] {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name);
  if (embed.title) lines.push(bold(embed.title) + (embed.url ? ` <${embed.url}>` : ''));
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields ?? [])
    lines.push(field.value.includes('\n') ? `${bold(field.name)}\n${field.value}` : `${bold(field.name)}: ${field.value}`);
  if (embed.footer?.text) lines.push(`— ${embed.footer.text}`);
  return lines;
}

function buttonsOf(rows: ReadonlyArray<object>): Array<Record<string, unknown>> {
  return rows.flatMap((row) =>
    'components' in row && Array.isArray(row.components) ? (row.components as Array<Record<string, unknown>>) : [],
  );
}

/** A reply as terminal text: content, embeds, then the buttons numbered so they can be "clicked". */
export function renderReplyAsText(reply: BotReply, options: { color: boolean }): string {
  const payload = toMessagePayload(reply);
  const bold = (text: string) => `**${text}**`;
  const lines: string[] = [];
  if (reply.ephemeral) lines.push('(only you can see this)');
  if (payload.content) lines.push(payload.content);
  for (const embed of payload.embeds ?? []) lines.push(...renderEmbed(embed, bold), '');
  const labels = buttonsOf(payload.components ?? []).flatMap((component) => (typeof component.label === 'string' ? [component.label] : []));
  if (labels.length > 0) lines.push(labels.map((label, index) => `[${index + 1}] ${label}`).join('  '));
  return renderMarkdown(lines.join('\n').trimEnd(), options.color);
}

/** `/name free text` or `/name key:value key:value`, typed for the command's options. */
export function parseCommandLine(
  line: string,
): { name: string; subcommand?: string; options: Record<string, OptionValue> } | { error: string } {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match?.[1]) return { error: 'Commands start with a slash, e.g. /help' };
  const name = match[1].toLowerCase();
  let rest = match[2]?.trim() ?? '';
  const command = findCommand(name);
  let declared: APIApplicationCommandOption[] = command && 'options' in command.data ? (command.data.options ?? []) : [];
  // "/report use report:x": the first word names the subcommand, whose options follow.
  const subcommands = declared.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  let subcommand: string | undefined;
  if (subcommands.length > 0) {
    const [word = '', ...others] = rest.split(/\s+/);
    const chosen = subcommands.find((option) => option.name === word.toLowerCase());
    if (!chosen)
      return {
        error: `/${name} needs one of: ${subcommands.map((option) => option.name).join(', ')} (e.g. /${name} ${subcommands[0]?.name ?? ''}).`,
      };
    subcommand = chosen.name;
    declared = 'options' in chosen ? (chosen.options ?? []) : [];
    rest = others.join(' ');
  }
  const options: Record<string, OptionValue> = {};
  if (!rest) return { name, ...(subcommand && { subcommand }), options };

  const names = declared.map((option) => option.name);
  const keyed = names.length > 0 && new RegExp(`^(${names.join('|')}):`).test(rest);
  const pairs: Array<[string, string]> = keyed
    ? [...rest.matchAll(new RegExp(`(${names.join('|')}):\\s*(.*?)\\s*(?=(?:${names.join('|')}):|$)`, 'gs'))].map((pair) => [
        pair[1] ?? '',
        pair[2] ?? '',
      ])
    : [[declared[0]?.name ?? 'text', rest]];
  for (const [key, raw] of pairs) {
    const option = declared.find((candidate) => candidate.name === key);
    if (option?.type === ApplicationCommandOptionType.Integer || option?.type === ApplicationCommandOptionType.Number) {
      const number = Number(raw);
      if (!Number.isFinite(number)) return { error: `/${name}: ${key} must be a number, got "${raw}".` };
      options[key] = number;
    } else if (option?.type === ApplicationCommandOptionType.Boolean) {
      options[key] = /^(true|yes|1)$/i.test(raw);
    } else {
      options[key] = raw;
    }
  }
  return { name, ...(subcommand && { subcommand }), options };
}

export async function startConsole(base: BaseServices, input: Readable, output: Writable): Promise<void> {
  const services: BotServices = { ...base, discord: consoleActions(base.store), botUserId: CONSOLE_BOT_ID };
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
  const write = (text: string): void => void output.write(`${text}\n`);
  // Message ids are unique across sessions, as pins recorded in one session outlive it.
  let nextMessageId = Date.now() * 1000;
  /** The last message with buttons: a number clicks one of them. */
  let lastWithButtons: MessageSnapshot | undefined;
  /** The last answer: what /pin pins. */
  let lastAnswer: MessageSnapshot | undefined;

  /** A form waiting for its answer on the next line (the 👎 modal), with the message it came from. */
  let pendingForm: { customId: string; message: MessageSnapshot } | undefined;

  const show = (reply: BotReply, from?: MessageSnapshot): void => {
    if (reply.modal && from) {
      pendingForm = { customId: reply.modal.custom_id, message: from };
      write(`${formAsText()}\n`);
      return;
    }
    write(renderReplyAsText(reply, { color: interactive }));
    write('');
    const payload = toMessagePayload(reply);
    // A message updated in place (new vote counts) keeps its id, as on Discord.
    const sameMessage = reply.updateMessage && from;
    const snapshot: MessageSnapshot = {
      id: sameMessage ? from.id : String(nextMessageId++),
      channelId: 'console',
      authorId: CONSOLE_BOT_ID,
      content: payload.content ?? '',
      embeds: payload.embeds ?? [],
      components: (payload.components ?? []) as MessageSnapshot['components'],
      buttonIds: buttonsOf(payload.components ?? []).flatMap((component) =>
        'custom_id' in component && typeof component.custom_id === 'string' ? [component.custom_id] : [],
      ),
    };
    if (snapshot.buttonIds.length > 0) lastWithButtons = snapshot;
    if (snapshot.buttonIds.some((id) => id.startsWith(`${BUTTON_PREFIX.pin}:`))) lastAnswer = snapshot;
  };

  const handleLine = async (line: string): Promise<void> => {
    const text = line.trim();
    if (pendingForm) {
      const form = pendingForm;
      const fields = formAnswer(text);
      // A number that is no choice is a slip: the form stays open for another try.
      if (!fields && /^\d+\b/.test(text)) return write(`Choose 1 to ${VOTE_REASONS.length}, or an empty line to skip.\n`);
      pendingForm = undefined;
      if (fields) return show(await dispatchComponent({ ...CONSOLE_INVOCATION, ...form, fields }, services), form.message);
      write('No reason given: your 👎 is counted without one.\n');
      if (!text) return;
    }
    if (!text) return;
    if (/^\d+$/.test(text)) {
      const customId = lastWithButtons?.buttonIds[Number(text) - 1];
      if (!lastWithButtons || !customId) {
        write(`There is no button ${text} on the last message.\n`);
        return;
      }
      show(await dispatchComponent({ ...CONSOLE_INVOCATION, customId, message: lastWithButtons }, services), lastWithButtons);
      return;
    }
    if (!text.startsWith('/')) {
      show(await dispatchCommand({ ...CONSOLE_INVOCATION, commandName: 'ask', options: { question: text } }, services));
      return;
    }
    const parsed = parseCommandLine(text);
    if ('error' in parsed) {
      write(`${parsed.error}\n`);
      return;
    }
    if (parsed.name === 'pin') {
      write(
        lastAnswer
          ? `${describePinOutcome(await pinAnswer(lastAnswer, CONSOLE_INVOCATION, services))}\n`
          : 'There is no answer to pin yet: ask something first.\n',
      );
      return;
    }
    if (!findCommand(parsed.name)) {
      write(`Unknown command /${parsed.name}. Type /help for the list.\n`);
      return;
    }
    if (parsed.name === 'unpin' && parsed.options.answer === undefined) {
      // On the console, a bare /unpin takes back the most recent pin.
      const latest = (await services.store.listPins(CONSOLE_INVOCATION.guildId ?? ''))[0];
      if (!latest) {
        write('Nothing is pinned.\n');
        return;
      }
      parsed.options.answer = latest.messageId;
    }
    show(
      await dispatchCommand(
        {
          ...CONSOLE_INVOCATION,
          commandName: parsed.name,
          options: parsed.options,
          ...(parsed.subcommand && { subcommand: parsed.subcommand }),
        },
        services,
      ),
    );
  };

  if (interactive)
    write(
      'Report Bot, local console. Ask a question, or type help. A number clicks a button of the last answer; /pin pins it. quit (or Ctrl-D) ends.\n',
    );
  // On a terminal, a prompt and line editing; from a pipe, plain lines.
  const lines = createInterface({
    input,
    crlfDelay: Infinity,
    ...(interactive ? { output, terminal: true, prompt: 'report-bot> ' } : { terminal: false }),
  });
  if (interactive) lines.prompt();
  for await (const line of lines) {
    // The console's own words, with or without a slash: quit, exit, help.
    const word = line.trim().toLowerCase().replace(/^\//, '');
    if (word === 'quit' || word === 'exit') break;
    try {
      await handleLine(word === 'help' ? '/help' : line);
    } catch (error) {
      // dispatch already guards handlers; this is the console's own last line of defence.
      base.logger.error('console line failed', { error: describeError(error) });
      write('Something went wrong with that line; it has been logged.\n');
    }
    if (interactive) lines.prompt();
  }
  lines.close();
}
