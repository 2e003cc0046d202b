import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { COLORS } from '../render.ts';
import { REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';
import type { Command } from '../types.ts';

/** /help lists the commands it is given (the one list in index.ts passes itself, so help imports nothing back). */
export function helpCommandFor(listCommands: () => readonly Command[]): Command {
  return defineCommand({
    data: { name: 'help', description: 'The commands, and how to ask.', type: ApplicationCommandType.ChatInput, options: [REPORT_OPTION] },
    async execute(invocation, services) {
      const selection = await selectReports(invocation.options, invocation, services);
      if ('reply' in selection) return selection.reply;
      const [first] = selection.reports;
      const about =
        selection.reports.length === 1 && first
          ? `I answer questions about *${escapeUserText(first.meta.title)}*`
          : `I answer questions about ${selection.reports.length} reports (see \`/reports\`)`;
      const slashCommands = listCommands().filter((command) => command.data.type === ApplicationCommandType.ChatInput);
      return {
        ephemeral: true,
        embeds: [
          {
            title: 'Report Bot',
            color: COLORS.answer,
            description: [
              `${about} with the exact passage, who said it, and on whose authority. When the report doesn't say, I say so.`,
              '',
              `**Ask** with \`/ask\`, or mention me with your question: \`@Report Bot ${first?.facts.suggestedQuestions[0] ?? 'what happened?'}\``,
              ...(selection.reports.length > 1
                ? [
                    '',
                    'With several reports, questions go to this channel’s report first (moderators choose it with `/report use`), then to the others; an answer from another report says so.',
                  ]
                : []),
              '',
              ...slashCommands.map(
                (command) => `\`/${command.data.name}\` ${'description' in command.data ? command.data.description : ''}`,
              ),
              '',
              'Moderators: the **Pin** button on an answer (or right-click → Apps → **Pin answer**) pins it; pinned answers come first for similar questions.',
            ].join('\n'),
          },
        ],
      };
    },
    async autocomplete(invocation, services) {
      return reportChoices(invocation.focused.value, services);
    },
  });
}
