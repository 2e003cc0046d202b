import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { allReportsNote, fromReport, REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

export const arrestsCommand = defineCommand({
  data: {
    name: 'arrests',
    description: 'Every arrest and detention in the report: who, where, when, suspicion, status now.',
    type: ApplicationCommandType.ChatInput,
    options: [REPORT_OPTION],
  },
  async execute(invocation, services) {
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    return {
      ...allReportsNote(selection),
      embeds: selection.reports.map((report) => ({
        title: `Arrests and detentions (${report.facts.arrests.length})`,
        color: COLORS.answer,
        description: `${fromReport(report)}${report.facts.arrests.length === 0 ? '\nThe report mentions no arrests.' : ''}`,
        fields: report.facts.arrests.map((arrest) => ({
          name: arrest.who,
          value: [
            `**Where:** ${escapeUserText(arrest.where)}`,
            `**When:** ${escapeUserText(arrest.when)}`,
            `**Suspicion:** ${escapeUserText(arrest.suspicion)}`,
            `**Status now:** ${escapeUserText(arrest.status)}`,
            `*Paragraph ${arrest.paragraphs.join(', ')}*`,
          ].join('\n'),
        })),
        ...automaticNote(report.facts.arrests),
      })),
    };
  },
  async autocomplete(invocation, services) {
    return reportChoices(invocation.focused.value, services);
  },
});
