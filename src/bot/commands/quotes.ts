import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { matchesEntityName } from '../entity-names.ts';
import { errorReply, escapeUserText, LIMITS } from '../reply.ts';
import { automaticNote, COLORS } from '../render.ts';
import { allReportsNote, fromReport, REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

export const quotesCommand = defineCommand({
  data: {
    name: 'quotes',
    description: 'Verbatim quotes with speaker, role, occasion and paragraph.',
    type: ApplicationCommandType.ChatInput,
    options: [
      { type: ApplicationCommandOptionType.String, name: 'speaker', description: 'Only this speaker', autocomplete: true },
      REPORT_OPTION,
    ],
  },
  async execute(invocation, services) {
    const wanted = invocation.options.speaker ?? '';
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    const embeds = selection.reports.flatMap((report) => {
      const speakerOf = (id: string) => report.facts.entities.find((entity) => entity.id === id);
      const quotes = report.facts.quotes.filter((quote) => {
        const speaker = speakerOf(quote.speaker);
        return speaker ? matchesEntityName(speaker, wanted) : !wanted.trim();
      });
      if (quotes.length === 0) return [];
      return [
        {
          title: `Quotes (${quotes.length})`,
          description: fromReport(report),
          color: COLORS.answer,
          fields: quotes.map((quote) => ({
            name: [speakerOf(quote.speaker)?.name ?? quote.speaker, quote.role].filter(Boolean).join(', '),
            value: `> “${escapeUserText(quote.text)}”\n${quote.occasion ? `*${escapeUserText(quote.occasion)}*, ` : ''}paragraph ${quote.paragraphs.join(', ')}`,
          })),
          ...automaticNote(quotes),
        },
      ];
    });
    if (embeds.length === 0) return errorReply('The report quotes nobody by that name. Try /quotes without a speaker for all of them.');
    return { ...allReportsNote(selection), embeds };
  },
  async autocomplete(invocation, services) {
    if (invocation.focused.name === REPORT_OPTION.name) return reportChoices(invocation.focused.value, services);
    const selection = await selectReports(invocation.options, invocation, services);
    const reports = 'reply' in selection ? services.library.reports : selection.reports;
    const typed = invocation.focused.value;
    const speakers = reports.flatMap((report) =>
      report.facts.entities.filter((entity) => report.facts.quotes.some((quote) => quote.speaker === entity.id)),
    );
    return speakers
      .filter((entity) => matchesEntityName(entity, typed))
      .slice(0, LIMITS.choices)
      .map((entity) => ({ name: entity.name.slice(0, LIMITS.choiceName), value: entity.id }));
  },
});
