import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { COLORS } from '../render.ts';
import type { Command } from '../types.ts';

export const timelineCommand: Command = {
  data: { name: 'timeline', description: "The events in the report's order, with the dates as it gives them.", type: ApplicationCommandType.ChatInput },
  async execute(_invocation, services) {
    return {
      embeds: services.engine.knowledge.reports.map((report) => ({
        title: `Timeline (${report.facts.timeline.length} events, in the report's order)`,
        color: COLORS.answer,
        description: report.facts.timeline
          .map((event) => `**${escapeUserText(event.when)}**: ${escapeUserText(event.what)} *(¶${event.paragraphs.join(', ')})*`)
          .join('\n'),
      })),
    };
  },
};
