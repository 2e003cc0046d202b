import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import type { Entity, Report } from '../../core/knowledge/types.ts';
import { matchesEntityName } from '../entity-names.ts';
import { errorReply, escapeUserText, LIMITS } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { allReportsNote, fromReport, REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

function describe(report: Report, entity: Entity): string {
  const quotes = report.facts.quotes.filter((quote) => quote.speaker === entity.id);
  const lines = [entity.role ? `*${escapeUserText(entity.role)}*` : '', escapeUserText(entity.summary)];
  if (entity.aliases.length > 0) lines.push(`Also: ${entity.aliases.map(escapeUserText).join(', ')}`);
  if (quotes.length > 0) lines.push(`Quotes: ${quotes.length} (see /quotes)`);
  lines.push(`*Paragraphs ${entity.paragraphs.join(', ')}*`);
  return lines.filter(Boolean).join('\n');
}

export const peopleCommand = defineCommand({
  data: {
    name: 'people',
    description: "Who's who: each person and organisation, their role and what the report attributes to them.",
    type: ApplicationCommandType.ChatInput,
    options: [
      { type: ApplicationCommandOptionType.String, name: 'name', description: 'A person or organisation', autocomplete: true },
      REPORT_OPTION,
    ],
  },
  async execute(invocation, services) {
    const name = invocation.options.name?.trim() ?? '';
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    const embeds = selection.reports.flatMap((report) => {
      const entities = name ? report.facts.entities.filter((entity) => matchesEntityName(entity, name)) : report.facts.entities;
      if (entities.length === 0) return [];
      return [
        {
          title: name ? `Who's who: ${name}` : "Who's who",
          description: fromReport(report),
          color: COLORS.answer,
          fields: entities.map((entity) => ({ name: entity.name, value: describe(report, entity) })),
          ...automaticNote(entities),
        },
      ];
    });
    if (embeds.length === 0)
      return errorReply(`The report names nobody matching “${escapeUserText(name)}”. Try /people without a name for the list.`);
    return { ...allReportsNote(selection), embeds };
  },
  async autocomplete(invocation, services) {
    if (invocation.focused.name === REPORT_OPTION.name) return reportChoices(invocation.focused.value, services);
    const selection = await selectReports(invocation.options, invocation, services);
    const reports = 'reply' in selection ? services.library.reports : selection.reports;
    const typed = invocation.focused.value.trim();
    return reports
      .flatMap((report) => report.facts.entities)
      .filter((entity) => matchesEntityName(entity, typed))
      .slice(0, LIMITS.choices)
      .map((entity) => ({ name: entity.name.slice(0, LIMITS.choiceName), value: entity.id }));
  },
});
