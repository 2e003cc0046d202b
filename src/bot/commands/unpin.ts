import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { canPin, ONLY_MODERATORS, PIN_MESSAGES } from '../permissions.ts';
import { unpinAnswer } from '../pins.ts';
import { escapeUserText, LIMITS } from '../reply.ts';
import type { Command } from '../types.ts';

/** Accepts a message id or a message link (…/channels/guild/channel/message). */
export function messageIdFrom(text: string): string | undefined {
  return /(\d{1,20})\s*$/.exec(text.trim())?.[1];
}

export const unpinCommand: Command = {
  data: {
    name: 'unpin',
    description: 'Moderators: unpin a pinned answer (removes the Discord pin and the record).',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild], default_member_permissions: PIN_MESSAGES.toString(),
    options: [{ type: ApplicationCommandOptionType.String, name: 'answer', description: 'The pinned answer (pick one, or paste its message link)', required: true, autocomplete: true }],
  },
  async execute(invocation, services) {
    if (!canPin(invocation.memberPermissions)) return { content: ONLY_MODERATORS, ephemeral: true };
    if (!invocation.guildId) return { content: 'Use /unpin in a server channel.', ephemeral: true };
    const messageId = messageIdFrom(String(invocation.options.answer ?? ''));
    const pin = messageId ? await services.store.getPin(invocation.guildId, messageId) : undefined;
    if (!pin) return { content: 'That is not a pinned answer. /pins lists them.', ephemeral: true };
    await unpinAnswer(pin, services);
    return { content: `Unpinned “${escapeUserText(pin.question)}”.`, ephemeral: true };
  },
  async autocomplete(invocation, services) {
    if (!invocation.guildId) return [];
    const typed = invocation.focused.value.trim().toLowerCase();
    return (await services.store.listPins(invocation.guildId))
      .filter((pin) => !typed || pin.question.toLowerCase().includes(typed))
      .slice(0, LIMITS.choices)
      .map((pin) => ({ name: pin.question.slice(0, LIMITS.choiceName), value: pin.messageId }));
  },
};
