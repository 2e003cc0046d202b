import { escapeUserText } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { fromReport, perReportCommand } from '../report-choice.ts';

export const timelineCommand = perReportCommand({
  name: 'timeline',
  description: "The events in the report's order, with the dates as it gives them.",
  embedFor: (report) => ({
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
  }),
});
