import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, InteractionType } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import type {
  AutocompleteInvocation,
  CommandInvocation,
  ComponentInvocation,
  Invocation,
  MessageSnapshot,
  OptionValue,
} from '../../bot/types.ts';
import { snapshotOf } from '../rest-actions.ts';

/**
 * An interaction's JSON (as Discord POSTs it) turned into the platform-neutral invocations the
 * dispatcher takes. Pure: no I/O, no discord.js. The body is signed by Discord, but it is still
 * read defensively: a shape we do not understand is a 400, never a crash.
 */

interface Reply {
  /** The interaction's own id: each is handled once. */
  id: string;
  /** Needed to answer later through the interaction webhook. */
  token: string;
  applicationId: string;
}

/** Commands nest options two levels at most (a group, a subcommand); deeper is not from Discord. */
const MAX_OPTION_DEPTH = 3;

export type ParsedInteraction =
  | { kind: 'ping' }
  | (Reply & { kind: 'command'; commandType: number; invocation: CommandInvocation })
  | (Reply & { kind: 'autocomplete'; invocation: AutocompleteInvocation })
  | (Reply & { kind: 'component'; invocation: ComponentInvocation })
  | (Reply & { kind: 'unsupported'; type: number; invocation: Invocation });

export class MalformedInteraction extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedInteraction';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function required(object: Json, key: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new MalformedInteraction(`missing ${key}`);
  return value;
}

const DECIMAL = /^\d{1,30}$/;

export function invocationOf(interaction: Json): Invocation {
  const guildId = str(interaction.guild_id) ?? null;
  const channel = isObject(interaction.channel) ? interaction.channel : undefined;
  const channelId = str(interaction.channel_id) ?? str(channel?.id) ?? null;
  const member = isObject(interaction.member) ? interaction.member : undefined;
  const user = isObject(member?.user) ? member.user : isObject(interaction.user) ? interaction.user : undefined;
  if (!user) throw new MalformedInteraction('no member.user or user');
  const id = required(user, 'id');
  const name = str(user.global_name) || str(user.username) || id;
  // Outside a server there is no member and so no permissions; an unreadable value grants nothing.
  const permissions = str(member?.permissions);
  const memberPermissions = !member ? null : permissions !== undefined && DECIMAL.test(permissions) ? BigInt(permissions) : 0n;
  const channelType = channel?.type;
  return {
    guildId,
    channelId,
    user: { id, name },
    memberPermissions,
    ...(typeof channelType === 'number' && { inThread: THREAD_TYPES.has(channelType) }),
  };
}

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);

interface RawOption {
  name: string;
  type?: unknown;
  value?: unknown;
  focused?: boolean;
  options?: unknown;
}

/** Options by name; the options of a subcommand (group) are lifted to the top, as discord.js does. */
function flattenOptions(
  raw: unknown,
  into: Record<string, OptionValue> = {},
  focused: { name: string; value: string }[] = [],
  subcommands: string[] = [],
  depth = 0,
): { options: Record<string, OptionValue>; focused: { name: string; value: string }[]; subcommands: string[] } {
  if (!Array.isArray(raw)) return { options: into, focused, subcommands };
  if (depth >= MAX_OPTION_DEPTH) throw new MalformedInteraction('options nested too deep');
  for (const item of raw as unknown[]) {
    if (!isObject(item) || typeof item.name !== 'string') continue;
    const option = item as unknown as RawOption;
    const isSubcommand =
      option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (isSubcommand || Array.isArray(option.options)) {
      subcommands.push(option.name);
      flattenOptions(option.options, into, focused, subcommands, depth + 1);
      continue;
    }
    const value = option.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      into[option.name] = value;
      if (option.focused === true) focused.push({ name: option.name, value: String(value) });
    }
  }
  return { options: into, focused, subcommands };
}

/** A message from the payload as the handlers see it; the fields snapshotOf reads are checked first. */
export function messageOf(raw: unknown): MessageSnapshot {
  if (!isObject(raw)) throw new MalformedInteraction('missing message');
  required(raw, 'id');
  required(raw, 'channel_id');
  if (!isObject(raw.author)) throw new MalformedInteraction('message without author');
  required(raw.author, 'id');
  return snapshotOf({
    ...raw,
    content: str(raw.content) ?? '',
    embeds: Array.isArray(raw.embeds) ? raw.embeds.filter(isObject) : [],
    // Rows whose components are not a list are dropped: their buttons cannot be read.
    components: Array.isArray(raw.components)
      ? raw.components.filter((row) => isObject(row) && Array.isArray(row.components) && row.components.every(isObject))
      : [],
  } as unknown as APIMessage);
}

/** Throws MalformedInteraction for shapes we cannot read. */
export function parseInteraction(body: unknown): ParsedInteraction {
  if (!isObject(body)) throw new MalformedInteraction('not a JSON object');
  const type = body.type;
  if (typeof type !== 'number') throw new MalformedInteraction('missing type');
  if (type === InteractionType.Ping) return { kind: 'ping' };

  const reply: Reply = { id: required(body, 'id'), token: required(body, 'token'), applicationId: required(body, 'application_id') };
  const invocation = invocationOf(body);
  const data = isObject(body.data) ? body.data : undefined;

  if (type === InteractionType.ApplicationCommand || type === InteractionType.ApplicationCommandAutocomplete) {
    if (!data) throw new MalformedInteraction('missing data');
    const commandName = required(data, 'name');
    const { options, focused, subcommands } = flattenOptions(data.options);
    if (type === InteractionType.ApplicationCommandAutocomplete) {
      return {
        kind: 'autocomplete',
        ...reply,
        invocation: { ...invocation, commandName, options, focused: focused[0] ?? { name: '', value: '' } },
      };
    }
    const commandType = typeof data.type === 'number' ? data.type : ApplicationCommandType.ChatInput;
    const subcommand = subcommands.at(-1);
    const command: CommandInvocation = { ...invocation, commandName, options, ...(subcommand && { subcommand }) };
    if (commandType === ApplicationCommandType.Message) {
      const targetId = required(data, 'target_id');
      const resolved = isObject(data.resolved) && isObject(data.resolved.messages) ? data.resolved.messages : undefined;
      command.targetMessage = messageOf(resolved?.[targetId]);
    }
    return { kind: 'command', ...reply, commandType, invocation: command };
  }
  if (type === InteractionType.MessageComponent) {
    if (!data) throw new MalformedInteraction('missing data');
    return {
      kind: 'component',
      ...reply,
      invocation: { ...invocation, customId: required(data, 'custom_id'), message: messageOf(body.message) },
    };
  }
  if (type === InteractionType.ModalSubmit) {
    if (!data) throw new MalformedInteraction('missing data');
    // A form opened from a button on a message comes back with that message; others do nothing here.
    if (!isObject(body.message)) return { kind: 'unsupported', ...reply, type, invocation };
    return {
      kind: 'component',
      ...reply,
      invocation: {
        ...invocation,
        customId: required(data, 'custom_id'),
        message: messageOf(body.message),
        fields: modalFields(data.components),
      },
    };
  }
  return { kind: 'unsupported', ...reply, type, invocation };
}

/** A submitted form's values by custom id: text inputs as text, selects as lists, inside labels or rows. */
export function modalFields(raw: unknown, into: Record<string, string | string[]> = {}, depth = 0): Record<string, string | string[]> {
  if (!Array.isArray(raw) || depth > MAX_OPTION_DEPTH) return into;
  for (const item of raw as unknown[]) {
    if (!isObject(item)) continue;
    if (isObject(item.component)) modalFields([item.component], into, depth + 1);
    if (Array.isArray(item.components)) modalFields(item.components, into, depth + 1);
    const id = str(item.custom_id);
    if (id === undefined) continue;
    if (typeof item.value === 'string') into[id] = item.value;
    else if (Array.isArray(item.values)) into[id] = item.values.filter((value): value is string => typeof value === 'string');
  }
  return into;
}
