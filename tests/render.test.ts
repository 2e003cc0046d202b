import type { APIEmbed, APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { askId, otherPassagesId } from '../src/bot/custom-ids.ts';
import { CUT_MARK, escapeUserText, toMessagePayload, truncate } from '../src/bot/reply.ts';
import {
  boldHighlights,
  button,
  hitEmbed,
  renderAnswer,
  renderNotCovered,
  renderOtherPassages,
  renderParagraph,
  row,
} from '../src/bot/render.ts';
import type { BotReply } from '../src/bot/types.ts';
import type { Hit } from '../src/core/answer-types.ts';
import { buttonsOf, createTestBot, library, westminster } from './fixtures/bot.ts';

/**
 * Rendering against Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits),
 * with the real knowledge and with synthetic extremes. Every payload goes through `toMessagePayload`,
 * the one builder the adapters use.
 */

const report = westminster;

function embedTotal(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (sum, embed) =>
      sum +
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      (embed.fields ?? []).reduce((fieldSum, field) => fieldSum + field.name.length + field.value.length, 0),
    0,
  );
}

/** Every limit Discord enforces on a message, checked on the payload. */
function expectWithinLimits(payload: APIInteractionResponseCallbackData): void {
  expect(payload.allowed_mentions).toEqual({ parse: [] });
  expect((payload.content ?? '').length).toBeLessThanOrEqual(2000);
  const embeds = payload.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(10);
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(embed.author?.name.length ?? 0).toBeLessThanOrEqual(256);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(2048);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(256);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(1024);
    }
  }
  expect(embedTotal(embeds)).toBeLessThanOrEqual(6000);
  const rows = payload.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(5);
  for (const actionRow of rows) expect('components' in actionRow ? actionRow.components.length : 0).toBeLessThanOrEqual(5);
  for (const component of buttonsOf(payload)) {
    if (component.label !== undefined) expect(component.label.length).toBeLessThanOrEqual(80);
    expect(component.custom_id.length).toBeLessThanOrEqual(100);
  }
}

function syntheticHit(overrides: Partial<Hit> = {}): Hit {
  return {
    kind: 'paragraph',
    key: 'westminster-attack/p1',
    report: 'westminster-attack',
    reportTitle: report.meta.title,
    reportUrl: '',
    paragraph: 1,
    passage: 'A passage.',
    attribution: 'the report',
    highlights: [],
    score: 1,
    confidence: 1,
    ...overrides,
  };
}

describe('the real knowledge fits', () => {
  it('the longest paragraph, in full and as an answer', () => {
    const longest = [...report.paragraphs].sort((a, b) => b.text.length - a.text.length)[0]!;
    expect(longest.number).toBe(5);
    const full = toMessagePayload(renderParagraph(report, longest));
    expectWithinLimits(full);
    expect(full.embeds![0]!.description).not.toContain(CUT_MARK);

    const [hit] = library.hitsForKeys([`westminster-attack/p${longest.number}`]);
    const answer = toMessagePayload(
      renderAnswer({ question: 'q'.repeat(300), answered: true, hits: [hit!], suggestions: [] }, { askedBy: 'x'.repeat(100) }),
    );
    expectWithinLimits(answer);
  });

  const commandsAndReports = ['timeline', 'claims', 'people', 'quotes', 'arrests', 'source', 'help'].flatMap((name) =>
    library.reports.map((candidate) => [name, candidate.meta.id] as const),
  );
  it.each(commandsAndReports)('/%s report:%s', async (name, reportId) => {
    const bot = createTestBot();
    try {
      const sent = await bot.command(name, { report: reportId });
      expectWithinLimits(sent.payload);
      expect(sent.payload.embeds!.length).toBeGreaterThan(0);
      // Nothing of one report needs cutting.
      expect(JSON.stringify(sent.payload.embeds)).not.toContain('cut to fit');
    } finally {
      await bot.close();
    }
  });

  it.each(['timeline', 'people', 'quotes', 'arrests', 'source'])(
    '/%s with every report at once stays within the limits, each report given its share',
    async (name) => {
      const bot = createTestBot();
      try {
        const sent = await bot.command(name);
        expectWithinLimits(sent.payload);
        expect(sent.payload.embeds).toHaveLength(library.reports.length);
        for (const embed of sent.payload.embeds!) expect(JSON.stringify(embed).length).toBeGreaterThan(200);
      } finally {
        await bot.close();
      }
    },
  );

  it('the whole timeline is shown, none of it cut', async () => {
    const bot = createTestBot();
    try {
      const sent = await bot.command('timeline', { report: report.meta.id });
      expect(sent.payload.embeds![0]!.description!.split('\n')).toHaveLength(report.facts.timeline.length + 1);
    } finally {
      await bot.close();
    }
  });

  it('many hits: every paragraph as "other passages" and as one answer', () => {
    const hits = library.hitsForKeys(report.paragraphs.map((paragraph) => `westminster-attack/p${paragraph.number}`));
    expect(hits).toHaveLength(14);
    const others = toMessagePayload(renderOtherPassages(hits));
    expectWithinLimits(others);
    expect(others.embeds).toHaveLength(4);

    const answer = renderAnswer({ question: 'everything', answered: true, hits, suggestions: [] }, { askedBy: 'Alice' });
    const payload = toMessagePayload(answer);
    expectWithinLimits(payload);
    expect(buttonsOf(payload).map((component) => component.label)).toEqual([
      'Full paragraph',
      'Other passages (4)',
      'Pin',
      '👍 0',
      '👎 0',
      'Ask in a thread',
    ]);
  });

  it('the "Other passages" id keeps to 100 characters however many refs it is given', () => {
    const refs = Array.from({ length: 60 }, (_, index) => ({ report: 'westminster-attack', paragraph: index + 1 }));
    const id = otherPassagesId(refs);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).toMatch(/^more:westminster-attack=1\.2\.3/);
  });

  it('a suggestion button keeps its id to 100 characters and its label to 80', () => {
    const long = `Was ${'very '.repeat(40)}long?`;
    expect(askId(long).length).toBeLessThanOrEqual(100);
    const payload = toMessagePayload(renderNotCovered({ question: 'x', suggestions: [long, long, long] }));
    expectWithinLimits(payload);
    expect(buttonsOf(payload)[0]!.label!.endsWith(CUT_MARK)).toBe(true);
  });
});

describe('synthetic extremes are cut to fit, and the cut is marked', () => {
  it('a 10,000-character passage', () => {
    const passage = `${'Masood was arrested in Birmingham. '.repeat(290)}`.slice(0, 10_000);
    expect(passage).toHaveLength(10_000);
    const reply = renderAnswer(
      { question: 'who was arrested', answered: true, hits: [syntheticHit({ passage, highlights: ['arrested'] })], suggestions: [] },
      { askedBy: 'Alice' },
    );
    const payload = toMessagePayload(reply);
    expectWithinLimits(payload);
    const description = payload.embeds![0]!.description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description.endsWith(CUT_MARK)).toBe(true);
  });

  it('40 long fields', () => {
    const embed: APIEmbed = {
      title: 'Many fields',
      description: 'd'.repeat(500),
      fields: Array.from({ length: 40 }, (_, index) => ({ name: `Field ${index + 1}`, value: 'v'.repeat(2000) })),
    };
    const payload = toMessagePayload({ embeds: [embed] });
    expectWithinLimits(payload);
    const fields = payload.embeds![0]!.fields!;
    expect(fields.length).toBeGreaterThan(0);
    expect(fields[0]!.name).toBe('Field 1');
    for (const field of fields) expect(field.value.endsWith(CUT_MARK)).toBe(true);
    expect(payload.embeds![0]!.footer?.text).toMatch(/cut to fit/);
  });

  it('26 short fields: the 26th is dropped and the footer says fields were cut', () => {
    const payload = toMessagePayload({
      embeds: [{ fields: Array.from({ length: 26 }, (_, index) => ({ name: `F${index}`, value: 'v' })) }],
    });
    expectWithinLimits(payload);
    expect(payload.embeds![0]!.fields).toHaveLength(25);
    expect(payload.embeds![0]!.footer?.text).toMatch(/cut to fit/);
  });

  it('an empty field value becomes a zero-width space (Discord rejects empty values)', () => {
    const payload = toMessagePayload({ embeds: [{ fields: [{ name: 'Empty', value: '' }] }] });
    expect(payload.embeds![0]!.fields![0]!.value).toBe('\u200b');
  });

  it('long content, title, author and footer', () => {
    const reply: BotReply = {
      content: 'c'.repeat(5000),
      embeds: [
        { title: 't'.repeat(300), author: { name: 'a'.repeat(300) }, footer: { text: 'f'.repeat(3000) }, description: 'd'.repeat(5000) },
      ],
    };
    const payload = toMessagePayload(reply);
    expectWithinLimits(payload);
    expect(payload.content).toHaveLength(2000);
    expect(payload.content!.endsWith(CUT_MARK)).toBe(true);
    const embed = payload.embeds![0]!;
    expect(embed.title!.endsWith(CUT_MARK)).toBe(true);
    expect(embed.author!.name.endsWith(CUT_MARK)).toBe(true);
    expect(embed.description!.endsWith(CUT_MARK)).toBe(true);
  });

  it('ten big embeds share the 6000-character total', () => {
    const embeds: APIEmbed[] = Array.from({ length: 12 }, (_, index) => ({ title: `Embed ${index}`, description: 'd'.repeat(4000) }));
    const payload = toMessagePayload({ embeds });
    expectWithinLimits(payload);
    expect(payload.embeds!.length).toBeGreaterThanOrEqual(2);
  });

  it('embeds whose size is in title, author and footer (no description) still share the total', () => {
    const embeds: APIEmbed[] = Array.from({ length: 4 }, () => ({
      title: 't'.repeat(256),
      author: { name: 'a'.repeat(256) },
      footer: { text: 'f'.repeat(2048) },
    }));
    expectWithinLimits(toMessagePayload({ embeds }));
  });

  it('too many buttons and rows', () => {
    const buttons = Array.from({ length: 8 }, (_, index) => button(`Button ${index} ${'x'.repeat(100)}`, `id:${index}`));
    const payload = toMessagePayload({ components: Array.from({ length: 7 }, () => row(...buttons)) });
    expectWithinLimits(payload);
    for (const component of buttonsOf(payload)) expect(component.label!.endsWith(CUT_MARK)).toBe(true);
  });

  it('ephemeral replies carry the ephemeral flag, others none', () => {
    expect(toMessagePayload({ content: 'x', ephemeral: true }).flags).toBe(64);
    expect(toMessagePayload({ content: 'x' }).flags).toBeUndefined();
  });

  it('truncate marks the cut and keeps within the limit', () => {
    expect(truncate('abcdef', 10)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc   def', 5)).toBe('abc…');
  });
});

describe('escapeUserText', () => {
  it('neutralises markdown', () => {
    expect(escapeUserText('**bold** _it_ ~~gone~~ `code` ||spoiler|| [link](https://x.y)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[link\\](https://x.y)',
    );
    expect(escapeUserText('# Heading\n> quote\n- item')).toBe('\\# Heading\n\\> quote\n\\- item');
    expect(escapeUserText('back\\slash')).toBe('back\\\\slash');
  });

  it('neutralises @everyone, @here and mentions', () => {
    expect(escapeUserText('@everyone and @here')).toBe('@\u200beveryone and @\u200bhere');
    expect(escapeUserText('<@123> <@!456> <@&789> <#42>')).toBe('<@\u200b123> <@!\u200b456> <@&\u200b789> <#\u200b42>');
    for (const text of ['@everyone', '@here', '<@123>', '<@&789>']) expect(escapeUserText(text)).not.toBe(text);
  });

  it('strips control characters and direction overrides, which could drive a terminal or reverse what is read', () => {
    expect(escapeUserText('a\u001b]0;pwned\u0007b\u202ecba\u2066c\u0000d')).toBe('a\\]0;pwnedbcbacd');
    expect(escapeUserText('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });

  it('leaves plain text, curly quotes and non-breaking spaces alone', () => {
    const text = 'Masood’s “main line of enquiry”\u00a0today, 30-year-old';
    expect(escapeUserText(text)).toBe(text);
  });
});

describe('boldHighlights', () => {
  it('bolds whole words only', () => {
    expect(boldHighlights('arrest arrested rearrest arrest.', ['arrest'])).toBe('**arrest** arrested rearrest **arrest**.');
    expect(boldHighlights('ISIS, ISISx and xISIS', ['ISIS'])).toBe('**ISIS**, ISISx and xISIS');
  });

  it('prefers the longest highlight and handles phrases with regex characters', () => {
    expect(boldHighlights('Al-Qaeda and Al', ['Al', 'Al-Qaeda'])).toBe('**Al-Qaeda** and **Al**');
    expect(boldHighlights('ISIS or AQ [al-Qaeda], there', ['AQ [al-Qaeda]'])).toBe('ISIS or **AQ \\[al-Qaeda\\]**, there');
  });

  it('escapes everything around the bold words', () => {
    expect(boldHighlights('*not bold* was arrested @everyone', ['arrested'])).toBe('\\*not bold\\* was **arrested** @\u200beveryone');
    expect(boldHighlights('**x**', [])).toBe('\\*\\*x\\*\\*');
  });

  it('works on the real passages with their curly quotes and non-breaking spaces', () => {
    const hit = library.ask('who was arrested in birmingham').hits[0]!;
    const bolded = boldHighlights(hit.passage, hit.highlights);
    for (const word of hit.highlights) expect(bolded).toContain(`**${word}**`);
    expect(bolded.replace(/\*\*/g, '')).toBe(escapeUserText(hit.passage));
  });
});

describe('hitEmbed', () => {
  it('shows the claim status and the question in the author line', () => {
    const embed = hitEmbed(
      syntheticHit({ claimStatus: 'disputed', claim: { text: 'c', claimedBy: 'b', evidence: 'e', evidenceBy: 'p' } }),
      { question: 'why?', askedBy: 'Alice' },
    );
    expect(embed.description).toContain('⚠️ Disputed claim');
    expect(embed.author?.name).toBe('Q: why?');
    expect(embed.fields?.map((field) => field.name)).toContain('⚠️ Disputed claim');
  });
});
