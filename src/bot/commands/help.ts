import { ApplicationCommandType } from 'discord-api-types/v10';
import { COLORS } from '../render.ts';
import type { Command } from '../types.ts';
import { commands } from './index.ts';

export const helpCommand: Command = {
  data: { name: 'help', description: 'The commands, and how to ask.', type: ApplicationCommandType.ChatInput },
  async execute(_invocation, services) {
    const report = services.engine.findReport();
    const slashCommands = commands.filter((command) => command.data.type === ApplicationCommandType.ChatInput);
    return {
      ephemeral: true,
      embeds: [{
        title: 'Report Bot',
        color: COLORS.answer,
        description: [
          `I answer questions about *${report?.meta.title ?? 'the report'}* with the exact passage, who said it, and on whose authority. When the report doesn't say, I say so.`,
          '',
          `**Ask** with \`/ask\`, or mention me with your question: \`@Report Bot ${report?.facts.suggestedQuestions[0] ?? 'what happened?'}\``,
          '',
          ...slashCommands.map((command) => `\`/${command.data.name}\` ${'description' in command.data ? command.data.description : ''}`),
          '',
          'Moderators: the **Pin** button on an answer (or right-click → Apps → **Pin answer**) pins it; pinned answers come first for similar questions.',
        ].join('\n'),
      }],
    };
  },
};
