import { ApplicationCommandOptionType, ApplicationCommandType, type APIEmbed } from 'discord-api-types/v10';
import type { Report } from '../../core/knowledge/types.ts';
import { errorReply, escapeUserText } from '../reply.ts';
import { COLORS, renderParagraph } from '../render.ts';
import { REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

const NOT_GIVEN = 'not given in the report';

function detailsEmbed(report: Report): APIEmbed {
  const { meta } = report;
  return {
    title: meta.title,
    ...(meta.url && { url: meta.url }),
    color: COLORS.answer,
    fields: [
      { name: 'Outlet', value: escapeUserText(meta.outlet || NOT_GIVEN), inline: true },
      { name: 'Date', value: escapeUserText(meta.date || NOT_GIVEN), inline: true },
      { name: 'Link', value: meta.url || NOT_GIVEN, inline: true },
      { name: 'Length', value: `${report.paragraphs.length} paragraphs. Use /source report:${meta.id} paragraph: to read one.` },
    ],
    footer: { text: `report: ${meta.id}` },
  };
}

export const sourceCommand = defineCommand({
  data: {
    name: 'source',
    description: "The report's title and details, or one paragraph verbatim.",
    type: ApplicationCommandType.ChatInput,
    options: [
      { type: ApplicationCommandOptionType.Integer, name: 'paragraph', description: 'A paragraph number', min_value: 1 },
      REPORT_OPTION,
    ],
  },
  async execute(invocation, services) {
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    if (selection.reports.length === 0) return errorReply('No report is loaded.');
    const number = invocation.options.paragraph;
    if (typeof number !== 'number') return { embeds: selection.reports.map(detailsEmbed) };
    const [report] = selection.reports;
    if (!selection.chosen || !report) {
      const ids = selection.reports.map((candidate) => `\`${candidate.meta.id}\``).join(', ');
      return errorReply(`There are ${selection.reports.length} reports; say which one with report: (${ids}).`);
    }
    const paragraph = report.paragraphs.find((candidate) => candidate.number === number);
    if (!paragraph)
      return errorReply(
        `*${escapeUserText(report.meta.title)}* has paragraphs 1 to ${report.paragraphs.length}; there is no paragraph ${number}.`,
      );
    return { ...renderParagraph(report, paragraph), ephemeral: false };
  },
  async autocomplete(invocation, services) {
    return reportChoices(invocation.focused.value, services);
  },
});
