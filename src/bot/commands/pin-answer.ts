import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { PIN_MESSAGES } from '../permissions.ts';
import { describePinOutcome, pinAnswer } from '../pins.ts';
import type { Command } from '../types.ts';

/** The message context-menu command: right-click one of the bot's answers → Apps → Pin answer. */
export const pinAnswerCommand: Command = {
  data: { name: 'Pin answer', type: ApplicationCommandType.Message, contexts: [InteractionContextType.Guild], default_member_permissions: PIN_MESSAGES.toString() },
  async execute(invocation, services) {
    if (!invocation.targetMessage) return { content: 'Use “Pin answer” on one of my answers.', ephemeral: true };
    return { content: describePinOutcome(await pinAnswer(invocation.targetMessage, invocation, services)), ephemeral: true };
  },
};
