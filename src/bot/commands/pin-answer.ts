import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { PIN_MESSAGES } from '../permissions.ts';
import { pinAnswer, pinOutcomeReply } from '../pins.ts';
import { defineCommand } from '../define-command.ts';
import { errorReply } from '../reply.ts';

/** The message context-menu command: right-click one of the bot's answers → Apps → Pin answer. */
export const pinAnswerCommand = defineCommand({
  data: {
    name: 'Pin answer',
    type: ApplicationCommandType.Message,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PIN_MESSAGES.toString(),
  },
  async execute(invocation, services) {
    if (!invocation.targetMessage) return errorReply('Use “Pin answer” on one of my answers.');
    return pinOutcomeReply(await pinAnswer(invocation.targetMessage, invocation, services));
  },
});
