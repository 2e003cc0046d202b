import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { allReportsNote, fromReport, REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

export const timelineCommand = defineCommand({
  data: {
    name: 'timeline',
    description: "The events in the report's order, with the dates as it gives them.",
    type: ApplicationCommandType.ChatInput,
    options: [REPORT_OPTION],
  },
  async execute(invocation, services) {
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    return {
      ...allReportsNote(selection),
      embeds: selection.reports.map((report) => ({
        title: `Timeline (${report.facts.timeline.length} events, in the report's order)`,
        color: COLORS.answer,
        description: [
          fromReport(report),
          ...(report.facts.timeline.length === 0 ? ['The report gives no dates or times.'] : []),
          ...report.facts.timeline.map(
            (event) => `**${escapeUserText(event.when)}**: ${escapeUserText(event.what)} *(¶${event.paragraphs.join(', ')})*`,
          ),
        ].join('\n'),
        ...automaticNote(report.facts.timeline),
      })),
    };
  },
  async autocomplete(invocation, services) {
    return reportChoices(invocation.focused.value, services);
  },
});
