import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { ReportLibrary } from '../core/answer/library.ts';
import type { Logger } from '../logger.ts';
import type { BotStore } from '../store/types.ts';
import type { Conversations } from './conversations.ts';

/**
 * The contract between commands and the adapters (gateway, HTTP interactions, console).
 * Commands see plain data in and return plain data out; only adapters know discord.js or HTTP.
 */

/** Who asked, and where. */
export interface Invocation {
  guildId: string | null;
  channelId: string | null;
  user: { id: string; name: string };
  /** The member's permission bits in this channel; null outside a server (DMs, console). */
  memberPermissions: bigint | null;
  /** Whether the channel is a thread; absent when the adapter cannot tell. */
  inThread?: boolean;
}

export type OptionValue = string | number | boolean;

/** A message as the handlers need to see it (the one a button sits on, or a context-menu target). */
export interface MessageSnapshot {
  id: string;
  channelId: string;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  /** Custom ids of the message's buttons: an answer's Pin button names the passage it answered with. */
  buttonIds: string[];
  /** The message's rows of buttons as Discord holds them, so a vote can update its counts in place. */
  components?: ActionRow[];
}

export interface CommandInvocation extends Invocation {
  commandName: string;
  /** For commands with subcommands (`/report use`): which one; its options are in `options`. */
  subcommand?: string;
  options: Record<string, OptionValue>;
  /** For message context-menu commands ("Pin answer"): the message it was used on. */
  targetMessage?: MessageSnapshot;
}

export interface AutocompleteInvocation extends Invocation {
  commandName: string;
  focused: { name: string; value: string };
  options: Record<string, OptionValue>;
}

export interface ComponentInvocation extends Invocation {
  customId: string;
  /** The message the button is on (for a modal: the message whose button opened it). */
  message: MessageSnapshot;
  /** For a submitted modal: each field's value by custom id (a select's values as a list). */
  fields?: Record<string, string | string[]>;
}

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** What a handler answers; one builder (`toMessagePayload`) turns it into what Discord accepts. */
export interface BotReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ActionRow[];
  /** Only the person who acted sees it. */
  ephemeral?: boolean;
  /** For buttons: replace the message the button is on instead of sending a new one. */
  updateMessage?: boolean;
  /** For buttons: open this form instead of replying (the 👎 modal); its submission comes back as a component. */
  modal?: APIModalInteractionResponseCallbackData;
}

/** Thrown by a handler when Discord refuses something it asked for (e.g. missing permission to pin). */
export class DiscordActionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'DiscordActionError';
  }
}

/** A failure whose message is meant for the person who acted (a setting the operator must add): shown as it is. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/** What a handler may ask of Discord besides replying. Each adapter provides it. */
export interface DiscordActions {
  pinMessage(channelId: string, messageId: string): Promise<void>;
  unpinMessage(channelId: string, messageId: string): Promise<void>;
  /** The channel's pinned messages, to reflect pins made or removed in Discord's own pin menu. */
  listPinnedMessages(channelId: string): Promise<MessageSnapshot[]>;
  /** Starts a public thread from a message; returns the thread's id. */
  startThread(channelId: string, messageId: string, name: string): Promise<string>;
  /** A link to a message, for "pinned by the moderators" and /pins. */
  messageUrl(guildId: string, channelId: string, messageId: string): string;
}

/** What reloading the knowledge did, in one line for the moderator or the log. */
export interface ReloadOutcome {
  ok: boolean;
  message: string;
}

export interface BotServices {
  /** Every loaded report, each with its own answer engine; swapped in place when the knowledge is reloaded. */
  library: ReportLibrary;
  store: BotStore;
  /** What each conversation's last answer was about, for follow-up questions. */
  conversations: Conversations;
  discord: DiscordActions;
  logger: Logger;
  /** The bot's own user id, to tell its answers from other messages; undefined on the console. */
  botUserId: string | undefined;
  /** Reads the knowledge folder again (`/reload`); absent where the knowledge is not from a folder. */
  reloadKnowledge?: () => Promise<ReloadOutcome>;
}

/** The services every adapter starts from; each adds how it talks to Discord. */
export type BaseServices = Omit<BotServices, 'discord' | 'botUserId'>;

export interface Command {
  data: RESTPostAPIApplicationCommandsJSONBody;
  execute(invocation: CommandInvocation, services: BotServices): Promise<BotReply>;
  autocomplete?(invocation: AutocompleteInvocation, services: BotServices): Promise<APIApplicationCommandOptionChoice[]>;
}

/** Handles the buttons whose custom id starts with `prefix:`. */
export interface ComponentHandler {
  prefix: string;
  handle(invocation: ComponentInvocation, services: BotServices): Promise<BotReply>;
}
