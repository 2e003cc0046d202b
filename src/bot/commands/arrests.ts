import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { COLORS } from '../render.ts';
import type { Command } from '../types.ts';

export const arrestsCommand: Command = {
  data: { name: 'arrests', description: 'Every arrest and detention in the report: who, where, when, suspicion, status now.', type: ApplicationCommandType.ChatInput },
  async execute(_invocation, services) {
    return {
      embeds: services.engine.knowledge.reports.map((report) => ({
        title: `Arrests and detentions (${report.facts.arrests.length})`,
        color: COLORS.answer,
        description: report.facts.arrests.length === 0 ? 'The report mentions no arrests.' : `From *${escapeUserText(report.meta.title)}*`,
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
      })),
    };
  },
};
