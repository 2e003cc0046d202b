import { StoreUnavailableError } from '../store/types.ts';
import { ApplicationCommandType, type APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { MAX_QUESTION_LENGTH } from '../core/answer/index.ts';
import { commands, findCommand } from './commands/index.ts';
import { componentHandlers } from './components.ts';
import { splitCustomId } from './custom-ids.ts';
import { errorReply } from './reply.ts';
import {
  UserFacingError,
  type AutocompleteInvocation,
  type BotReply,
  type BotServices,
  type CommandInvocation,
  type ComponentInvocation,
} from './types.ts';
import { describeError } from '../core/errors.ts';

/**
 * The one place interactions are routed, timed, logged and guarded. A handler that throws gets
 * the user a short ephemeral message and the operator one log line with the context; nothing a
 * single interaction does can take the process down.
 */
/** Discord wants an answer to an interaction within 3 s; a handler slower than this is deferred. */
export const DEFER_AFTER_MS = 2000;

/**
 * Whether a command's reply will probably be private, to choose how to defer it before the reply
 * exists: the person asked for privacy, or it is a context-menu action or a moderator tool.
 */
export function expectsEphemeralReply(invocation: Pick<CommandInvocation, 'commandName' | 'options' | 'targetMessage'>): boolean {
  if (invocation.options.private === true || invocation.targetMessage !== undefined) return true;
  const command = findCommand(invocation.commandName);
  return !command || command.data.type !== ApplicationCommandType.ChatInput || command.data.default_member_permissions != null;
}

export const SOMETHING_WENT_WRONG = 'Something went wrong while answering that. It has been logged; please try again.';
export const STORE_UNAVAILABLE = 'The bot cannot reach its database right now, so that was not done. Please try again in a minute.';
/** A form (modal) submitted from nowhere we can answer: not opened from one of the bot's messages. */
export const FORM_GONE = 'That form does not do anything any more.';
export const UNKNOWN_COMMAND = 'Unknown command. `/help` lists what I can do.';

async function guarded(
  kind: string,
  name: string,
  invocation: { guildId: string | null; user: { id: string } },
  services: BotServices,
  run: () => Promise<BotReply>,
): Promise<BotReply> {
  const started = performance.now();
  const context = { kind, name, guild: invocation.guildId ?? 'none' };
  try {
    const reply = await run();
    services.logger.info('handled', { ...context, ms: Math.round(performance.now() - started) });
    return reply;
  } catch (error) {
    if (error instanceof UserFacingError) {
      services.logger.warn('handler refused', { ...context, ms: Math.round(performance.now() - started), error: error.message });
      return errorReply(error.message);
    }
    if (error instanceof StoreUnavailableError) {
      services.logger.error('handler failed: database unavailable', { ...context, error: error.message });
      return errorReply(STORE_UNAVAILABLE);
    }
    services.logger.error('handler failed', {
      ...context,
      ms: Math.round(performance.now() - started),
      error: describeError(error, { stack: true }),
    });
    return errorReply(SOMETHING_WENT_WRONG);
  }
}

export function dispatchCommand(invocation: CommandInvocation, services: BotServices): Promise<BotReply> {
  const command = findCommand(invocation.commandName);
  if (!command) {
    services.logger.warn('unknown command', { name: invocation.commandName, guild: invocation.guildId ?? 'none' });
    return Promise.resolve(errorReply(UNKNOWN_COMMAND));
  }
  return guarded('command', invocation.commandName, invocation, services, () => command.execute(invocation, services));
}

export function dispatchComponent(invocation: ComponentInvocation, services: BotServices): Promise<BotReply> {
  // A button without a readable id (a malformed payload) is a button that does nothing any more.
  const { prefix } = typeof invocation.customId === 'string' ? splitCustomId(invocation.customId) : { prefix: '' };
  const handler = componentHandlers.find((candidate) => candidate.prefix === prefix);
  if (!handler) {
    services.logger.warn('unknown button', { customId: invocation.customId, guild: invocation.guildId ?? 'none' });
    return Promise.resolve(errorReply('That button no longer does anything. Ask again with /ask.'));
  }
  return guarded('button', prefix, invocation, services, () => handler.handle(invocation, services));
}

/** Autocomplete never shows an error to the user: on failure it offers no choices. */
export async function dispatchAutocomplete(
  invocation: AutocompleteInvocation,
  services: BotServices,
): Promise<APIApplicationCommandOptionChoice[]> {
  const command = findCommand(invocation.commandName);
  if (!command?.autocomplete) return [];
  // Cut before any work: what is typed is at most a question's length, whatever a client sends.
  const focused = { name: invocation.focused.name, value: invocation.focused.value.slice(0, MAX_QUESTION_LENGTH) };
  try {
    return await command.autocomplete(
      { ...invocation, focused, options: { ...invocation.options, [focused.name]: focused.value } },
      services,
    );
  } catch (error) {
    services.logger.error('autocomplete failed', {
      name: invocation.commandName,
      guild: invocation.guildId ?? 'none',
      error: describeError(error),
    });
    return [];
  }
}

/** A message that mentions the bot: the text after the mention is the question. */
export function dispatchMention(question: string, invocation: CommandInvocation, services: BotServices): Promise<BotReply> {
  return dispatchCommand({ ...invocation, commandName: 'ask', options: { question } }, services);
}

export { commands };
