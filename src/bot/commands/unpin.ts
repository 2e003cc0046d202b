import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { canPin, ONLY_MODERATORS, PIN_MESSAGES } from '../permissions.ts';
import { unpinAnswer } from '../pins.ts';
import { errorReply, escapeUserText, LIMITS, privateReply } from '../reply.ts';
import { defineCommand } from '../define-command.ts';

/** Accepts a message id or a message link (…/channels/guild/channel/message). */
export function messageIdFrom(text: string): string | undefined {
  return /(\d{1,20})\s*$/.exec(text.trim())?.[1];
}

export const unpinCommand = defineCommand({
  data: {
    name: 'unpin',
    description: 'Moderators: unpin a pinned answer (removes the Discord pin and the record).',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PIN_MESSAGES.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'answer',
        description: 'The pinned answer (pick one, or paste its message link)',
        required: true,
        autocomplete: true,
      },
    ],
  },
  async execute(invocation, services) {
    if (!canPin(invocation.memberPermissions)) return errorReply(ONLY_MODERATORS);
    if (!invocation.guildId) return errorReply('Use /unpin in a server channel.');
    const messageId = messageIdFrom(invocation.options.answer ?? '');
    const pin = messageId ? await services.store.getPin(invocation.guildId, messageId) : undefined;
    if (!pin) return errorReply('That is not a pinned answer. /pins lists them.');
    await unpinAnswer(pin, services);
    return privateReply(`Unpinned “${escapeUserText(pin.question)}”.`);
  },
  async autocomplete(invocation, services) {
    if (!invocation.guildId) return [];
    const typed = invocation.focused.value.trim().toLowerCase();
    return (await services.store.listPins(invocation.guildId))
      .filter((pin) => !typed || pin.question.toLowerCase().includes(typed))
      .slice(0, LIMITS.choices)
      .map((pin) => ({ name: pin.question.slice(0, LIMITS.choiceName), value: pin.messageId }));
  },
});
