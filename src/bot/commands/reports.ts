import { ApplicationCommandType } from 'discord-api-types/v10';
import { errorReply, escapeUserText } from '../reply.ts';
import { COLORS } from '../render.ts';
import { defineCommand } from '../define-command.ts';

export const reportsCommand = defineCommand({
  data: {
    name: 'reports',
    description: 'The reports I can answer from, and which one this channel asks first.',
    type: ApplicationCommandType.ChatInput,
  },
  async execute(invocation, services) {
    const reports = services.library.reports;
    if (reports.length === 0) return errorReply('No report is loaded.');
    const defaults = invocation.guildId ? await services.store.getDefaultReports(invocation.guildId, invocation.channelId) : {};
    const mark = (id: string): string =>
      id === defaults.channel ? ' · **this channel’s report**' : id === defaults.server ? ' · **this server’s report**' : '';
    return {
      embeds: [
        {
          title: `Reports (${reports.length})`,
          color: COLORS.answer,
          description: [
            ...reports.map((report) => {
              const { meta } = report;
              const details = [meta.outlet, meta.date.slice(0, 10)].filter(Boolean).map(escapeUserText).join(', ');
              const title = meta.url ? `[${escapeUserText(meta.title)}](${meta.url})` : `*${escapeUserText(meta.title)}*`;
              return `${title}${details ? ` (${details})` : ''}\n\`${meta.id}\` · ${report.paragraphs.length} paragraphs${mark(meta.id)}`;
            }),
            '',
            defaults.channel || defaults.server
              ? 'Questions here go to the marked report first, then to the others.'
              : 'No default is set here: every question goes to the report that answers it best. Moderators can choose one with `/report use`.',
          ].join('\n'),
        },
      ],
    };
  },
});
