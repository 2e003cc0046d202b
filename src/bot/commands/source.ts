import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { COLORS, renderParagraph } from '../render.ts';
import type { Command } from '../types.ts';

const NOT_GIVEN = 'not given in the report';

export const sourceCommand: Command = {
  data: {
    name: 'source',
    description: "The report's title and details, or one paragraph verbatim.",
    type: ApplicationCommandType.ChatInput,
    options: [{ type: ApplicationCommandOptionType.Integer, name: 'paragraph', description: 'A paragraph number', min_value: 1 }],
  },
  async execute(invocation, services) {
    const report = services.engine.findReport();
    if (!report) return { content: 'No report is loaded.', ephemeral: true };
    const number = invocation.options.paragraph;
    if (typeof number === 'number') {
      const paragraph = report.paragraphs.find((candidate) => candidate.number === number);
      if (!paragraph) return { content: `The report has paragraphs 1 to ${report.paragraphs.length}; there is no paragraph ${number}.`, ephemeral: true };
      return { ...renderParagraph(report, paragraph), ephemeral: false };
    }
    const { meta } = report;
    return {
      embeds: [{
        title: meta.title,
        ...(meta.url && { url: meta.url }),
        color: COLORS.answer,
        fields: [
          { name: 'Outlet', value: escapeUserText(meta.outlet || NOT_GIVEN), inline: true },
          { name: 'Date', value: escapeUserText(meta.date || NOT_GIVEN), inline: true },
          { name: 'Link', value: meta.url || NOT_GIVEN, inline: true },
          { name: 'Length', value: `${report.paragraphs.length} paragraphs. Use /source paragraph: to read one.` },
        ],
      }],
    };
  },
};
