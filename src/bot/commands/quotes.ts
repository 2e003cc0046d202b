import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import { matchesEntityName } from '../entity-names.ts';
import { escapeUserText, LIMITS } from '../reply.ts';
import { COLORS } from '../render.ts';
import type { Command } from '../types.ts';

export const quotesCommand: Command = {
  data: {
    name: 'quotes',
    description: 'Verbatim quotes with speaker, role, occasion and paragraph.',
    type: ApplicationCommandType.ChatInput,
    options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', description: 'Only this speaker', autocomplete: true }],
  },
  async execute(invocation, services) {
    const wanted = typeof invocation.options.speaker === 'string' ? invocation.options.speaker : '';
    const embeds = services.engine.knowledge.reports.flatMap((report) => {
      const speakerOf = (id: string) => report.facts.entities.find((entity) => entity.id === id);
      const quotes = report.facts.quotes.filter((quote) => {
        const speaker = speakerOf(quote.speaker);
        return speaker ? matchesEntityName(speaker, wanted) : !wanted.trim();
      });
      if (quotes.length === 0) return [];
      return [{
        title: `Quotes (${quotes.length})`,
        color: COLORS.answer,
        fields: quotes.map((quote) => ({
          name: [speakerOf(quote.speaker)?.name ?? quote.speaker, quote.role].filter(Boolean).join(', '),
          value: `> “${escapeUserText(quote.text)}”\n${quote.occasion ? `*${escapeUserText(quote.occasion)}*, ` : ''}paragraph ${quote.paragraphs.join(', ')}`,
        })),
      }];
    });
    if (embeds.length === 0) return { content: 'The report quotes nobody by that name. Try /quotes without a speaker for all of them.', ephemeral: true };
    return { embeds };
  },
  async autocomplete(invocation, services) {
    const typed = invocation.focused.value;
    const speakers = services.engine.knowledge.reports.flatMap((report) =>
      report.facts.entities.filter((entity) => report.facts.quotes.some((quote) => quote.speaker === entity.id)),
    );
    return speakers
      .filter((entity) => matchesEntityName(entity, typed))
      .slice(0, LIMITS.choices)
      .map((entity) => ({ name: entity.name.slice(0, LIMITS.choiceName), value: entity.id }));
  },
};
