import { escapeUserText } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { fromReport, perReportCommand } from '../report-choice.ts';

export const arrestsCommand = perReportCommand({
  name: 'arrests',
  description: 'Every arrest and detention in the report: who, where, when, suspicion, status now.',
  embedFor: (report) => ({
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
  }),
});
