import { ApplicationCommandType } from 'discord-api-types/v10';
import { describePinOutcome, pinAnswer } from '../pins.ts';
import type { Command } from '../types.ts';

/** The message context-menu command: right-click one of the bot's answers → Apps → Pin answer. */
export const pinAnswerCommand: Command = {
  data: { name: 'Pin answer', type: ApplicationCommandType.Message, dm_permission: false },
  async execute(invocation, services) {
    if (!invocation.targetMessage) return { content: 'Use “Pin answer” on one of my answers.', ephemeral: true };
    return { content: describePinOutcome(await pinAnswer(invocation.targetMessage, invocation, services)), ephemeral: true };
  },
};
