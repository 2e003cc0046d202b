import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { canPin, PIN_MESSAGES } from '../permissions.ts';
import { errorReply, escapeUserText, privateReply } from '../reply.ts';
import { COLORS } from '../render.ts';
import { defineCommand } from '../define-command.ts';

const SHOWN = 20;

export const unansweredCommand = defineCommand({
  data: {
    name: 'unanswered',
    description: 'Moderators: the questions the report could not answer, most asked first.',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PIN_MESSAGES.toString(),
  },
  async execute(invocation, services) {
    if (!canPin(invocation.memberPermissions)) return errorReply('Only moderators can see the unanswered questions.');
    if (!invocation.guildId) return errorReply('Use /unanswered in a server channel.');
    const questions = await services.store.listUnanswered(invocation.guildId, SHOWN);
    if (questions.length === 0) return privateReply('Every question so far found an answer in the report.');
    return {
      ephemeral: true,
      embeds: [
        {
          title: 'Questions the report could not answer',
          color: COLORS.notCovered,
          description: questions
            .map(
              (entry, index) => `${index + 1}. “${escapeUserText(entry.question)}” ×${entry.count} · last ${entry.lastAsked.slice(0, 10)}`,
            )
            .join('\n'),
        },
      ],
    };
  },
});
