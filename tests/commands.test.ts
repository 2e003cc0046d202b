import { storeWith } from './fixtures/store.ts';
import { ApplicationCommandType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../src/bot/commands/index.ts';
import { dispatchCommand, dispatchMention, SOMETHING_WENT_WRONG, STORE_UNAVAILABLE, UNKNOWN_COMMAND } from '../src/bot/dispatch.ts';
import { StoreUnavailableError } from '../src/store/types.ts';
import { ONLY_MODERATORS } from '../src/bot/permissions.ts';
import { escapeUserText, LIMITS, toMessagePayload } from '../src/bot/reply.ts';
import { CLAIM_MARKS } from '../src/bot/render.ts';
import { DiscordActionError, UserFacingError, type MessageSnapshot } from '../src/bot/types.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import {
  CHANNEL_ID,
  checkPayload,
  createTestBot,
  GUILD_ID,
  invocation,
  MEMBER,
  MODERATOR,
  PIN_ONLY_MODERATOR,
  SERVER_MANAGER,
  type Sent,
  library,
  type TestBot,
  WESTMINSTER,
  westminster,
} from './fixtures/bot.ts';

/**
 * Every handler through its real entry point (dispatchCommand / dispatchComponent /
 * dispatchAutocomplete) with the real engine, a real in-memory store and a recording fake of
 * Discord's pin API. Each reply is turned into the payload Discord would receive and checked:
 * allowed_mentions { parse: [] }, custom ids ≤ 100, labels ≤ 80 (see checkPayload).
 */

const report = westminster;
const facts = report.facts;
const paragraphText = (number: number): string => report.paragraphs.find((paragraph) => paragraph.number === number)!.text;
const labels = (sent: Sent): string[] => sent.buttons.map((button) => button.label ?? '');
const idOf = (sent: Sent, prefix: string): string => {
  const id = sent.message.buttonIds.find((candidate) => candidate.startsWith(`${prefix}:`));
  if (!id) throw new Error(`no ${prefix}: button on ${JSON.stringify(sent.message.buttonIds)}`);
  return id;
};
const isEphemeral = (sent: Sent): boolean => sent.payload.flags === MessageFlags.Ephemeral;

let bot: TestBot;
beforeEach(() => {
  bot = createTestBot();
});
afterEach(async () => {
  await bot.close();
});

/** A store that behaves like the real one except for the methods given. */
function storeWithOverrides(overrides: Partial<BotStore>): BotStore {
  return storeWith(openSqliteStore(':memory:'), overrides);
}

/** The document that answers the Birmingham question (its paragraph 13, as a paragraph or a fact citing it). */
const BIRMINGHAM_KEY = library.ask('who was arrested in birmingham').hits[0]!.key;

describe('/ask', () => {
  it('answers with the passage, who said it, the source, and Full paragraph / Other passages / Pin buttons', async () => {
    const sent = await bot.command('ask', { question: 'who was arrested in birmingham' });
    expect(isEphemeral(sent)).toBe(false);
    expect(sent.payload.embeds).toHaveLength(1);
    const embed = sent.payload.embeds![0]!;
    expect(embed.author?.name).toBe('Q: who was arrested in birmingham');
    expect(embed.description).toContain(
      'A 30-year-old man in **Birmingham** was **arrested** on suspicion of preparation of terrorist acts on Sunday.',
    );
    expect(embed.fields?.find((field) => field.name === 'Who said it')?.value).toBeTruthy();
    expect(embed.fields?.find((field) => field.name === 'Source')?.value).toContain('paragraph 13');
    expect(embed.footer?.text).toMatch(/^Asked by Alice · confidence \d+%$/);

    expect(labels(sent)[0]).toBe('Full paragraph');
    expect(labels(sent)[1]).toMatch(/^Other passages \(\d\)$/);
    expect(labels(sent)[2]).toBe('Pin');
    expect(idOf(sent, 'para')).toBe('para:westminster-attack:13');
    expect(library.ask('who was arrested in birmingham').hits[0]!.paragraph).toBe(13);
    expect(idOf(sent, 'pin')).toBe(`pin:${BIRMINGHAM_KEY}`);
    for (const id of sent.message.buttonIds) expect(id.length).toBeLessThan(100);
    expect(bot.logLines.some((line) => /INFO +handled kind=command name=ask /.test(line))).toBe(true);
  });

  it('names the speaker and flags the speculative prison claim', async () => {
    const sent = await bot.command('ask', { question: 'was he radicalised in prison' });
    const embed = sent.payload.embeds![0]!;
    const field = (name: string) => embed.fields?.find((candidate) => candidate.name === name)?.value ?? '';
    const shown = Number(/paragraph (\d+)/.exec(field('Source'))?.[1]);
    expect([12, 2]).toContain(shown);
    if (shown === 12) {
      expect(field('Who said it')).toBe('Neil Basu, deputy assistant commissioner, in a statement released on Monday afternoon');
      expect(embed.description).toContain(`**${CLAIM_MARKS.speculation}**`);
      expect(field(CLAIM_MARKS.speculation)).toContain('pure speculation');
    }
    expect(embed.description).toMatch(/\*\*radicali[sz]ed\*\*/);
  });

  it('private: true answers ephemerally', async () => {
    const sent = await bot.command('ask', { question: 'who was arrested in birmingham', private: true });
    expect(sent.payload.flags).toBe(MessageFlags.Ephemeral);
    expect(sent.payload.embeds?.[0]?.author?.name).toBe('Q: who was arrested in birmingham');
  });

  it('does not offer Pin on a private answer (Discord cannot pin an ephemeral message)', async () => {
    const sent = await bot.command('ask', { question: 'who was arrested in birmingham', private: true }, { memberPermissions: MODERATOR });
    expect(labels(sent)).not.toContain('Pin');
  });

  it('does not offer Pin outside a server', async () => {
    const sent = await bot.command('ask', { question: 'who was arrested in birmingham' }, { guildId: null, channelId: null });
    expect(labels(sent)).toEqual(expect.arrayContaining(['Full paragraph']));
    expect(labels(sent)).not.toContain('Pin');
  });

  it('off-topic: says so, offers suggestions as buttons, and counts the declined question', async () => {
    const sent = await bot.command('ask', { question: 'Whats the capital of France??' });
    expect(sent.payload.content).toContain('I couldn’t find anything in the report about “Whats the capital of France??”');
    expect(sent.payload.content).toContain('won’t guess');
    expect(sent.payload.embeds).toEqual([]);
    expect(sent.buttons.length).toBeGreaterThanOrEqual(1);
    expect(sent.buttons.length).toBeLessThanOrEqual(3);
    const suggested = library.reports.flatMap((candidate) => candidate.facts.suggestedQuestions);
    for (const button of sent.buttons) {
      expect(suggested).toContain(button.label);
      expect(button.custom_id).toBe(`ask:${button.label}`);
    }
    await bot.command('ask', { question: 'whats the capital of france' });
    await bot.command('ask', { question: 'who won the world cup' });
    expect(await bot.store.listUnanswered(GUILD_ID, 10)).toMatchObject([
      { question: 'whats the capital of france', count: 2 },
      { question: 'who won the world cup', count: 1 },
    ]);
  });

  it('off-topic with @everyone echoes the question without a working mention', async () => {
    const sent = await bot.command('ask', { question: '@everyone whats the capital of france' });
    expect(sent.payload.content).not.toMatch(/@everyone/);
    expect(sent.payload.content).toContain('@\u200beveryone');
    expect(await bot.store.listUnanswered(GUILD_ID, 10)).toMatchObject([{ question: 'whats the capital of france', count: 1 }]);
  });

  it.each([
    ['empty', '', /Ask a question about the report/],
    ['whitespace', '   ', /Ask a question about the report/],
    ['too long', `who was arrested ${'x'.repeat(300)}`, /317 characters long; please keep it under 300/],
    ['emoji only', '🔥🔥🔥', /could not find any words/],
    ['stop words only', 'what is it', /too general/],
  ])('%s question → a clear ephemeral message, nothing recorded', async (_label, question, message) => {
    const sent = await bot.command('ask', { question });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toMatch(message);
    expect(sent.payload.embeds).toEqual([]);
    expect(await bot.store.listUnanswered(GUILD_ID, 10)).toEqual([]);
  });

  it('a question with markdown, a mention or @everyone is answered like the plain question', async () => {
    for (const question of [
      '**who** was _arrested_ in birmingham',
      '<@123> who was arrested in birmingham',
      '@everyone who was arrested in birmingham',
    ]) {
      const sent = await bot.command('ask', { question });
      expect(idOf(sent, 'para'), question).toBe('para:westminster-attack:13');
    }
  });

  it('a mention of the bot asks its text', async () => {
    const reply = await dispatchMention(
      'was the car seen before the attack',
      { ...invocation(), commandName: 'ask', options: {} },
      bot.services,
    );
    const payload = toMessagePayload(reply);
    checkPayload(payload);
    expect(payload.embeds?.[0]?.fields?.find((field) => field.name === 'Source')?.value).toContain('paragraph 7');
  });
});

describe('fact commands', () => {
  it('/arrests lists the 4 arrests with where, when, suspicion and status', async () => {
    const sent = await bot.command('arrests', { report: WESTMINSTER });
    const fields = sent.payload.embeds![0]!.fields!;
    expect(sent.payload.embeds![0]!.title).toBe('Arrests and detentions (4)');
    expect(fields.map((field) => field.name)).toEqual(['A 30-year-old man', 'A 58-year-old man', 'A 32-year-old woman', 'Nine people']);
    facts.arrests.forEach((arrest, index) => {
      expect(fields[index]!.value).toContain(`**Status now:** ${escapeUserText(arrest.status)}`);
      expect(fields[index]!.value).toContain(`**Where:** ${escapeUserText(arrest.where)}`);
    });
    expect(fields[0]!.value).toContain('**Suspicion:** preparation of terrorist acts');
    expect(fields[3]!.value).toContain('released without charge');
  });

  it('/people lists everyone the report names', async () => {
    const sent = await bot.command('people', { report: WESTMINSTER });
    expect(sent.payload.embeds![0]!.fields!.map((field) => field.name)).toEqual(facts.entities.map((entity) => entity.name));
  });

  it('/people name:basu gives Neil Basu only, with role, quotes and paragraphs', async () => {
    const sent = await bot.command('people', { report: WESTMINSTER, name: 'basu' });
    const fields = sent.payload.embeds![0]!.fields!;
    expect(fields.map((field) => field.name)).toEqual(['Neil Basu']);
    expect(fields[0]!.value).toContain('*deputy assistant commissioner*');
    expect(fields[0]!.value).toContain('Quotes: 5');
    expect(fields[0]!.value).toContain('Paragraphs 5, 11, 12');
  });

  it('/people with an unknown name says so, ephemerally', async () => {
    const sent = await bot.command('people', { report: WESTMINSTER, name: 'Boris **Johnson**' });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toContain('The report names nobody matching “Boris \\*\\*Johnson\\*\\*”');
  });

  it('/quotes lists every quote verbatim with speaker, role and paragraph', async () => {
    const sent = await bot.command('quotes', { report: WESTMINSTER });
    const fields = sent.payload.embeds![0]!.fields!;
    expect(fields).toHaveLength(facts.quotes.length);
    facts.quotes.forEach((quote, index) => {
      expect(fields[index]!.value).toContain(`“${escapeUserText(quote.text)}”`);
      expect(fields[index]!.value).toContain(`paragraph ${quote.paragraphs.join(', ')}`);
    });
    expect(fields.map((field) => field.name)).toContain('Amber Rudd, Home Secretary');
  });

  it('/quotes speaker: filters by name, alias or id; unknown speaker → ephemeral message', async () => {
    for (const speaker of ['Basu', 'neil-basu', 'counter-terror chief']) {
      const sent = await bot.command('quotes', { report: WESTMINSTER, speaker });
      const names = sent.payload.embeds![0]!.fields!.map((field) => field.name);
      expect(names.length, speaker).toBe(facts.quotes.filter((quote) => quote.speaker === 'neil-basu').length);
      for (const name of names) expect(name).toMatch(/^Neil Basu/);
    }
    const rudd = await bot.command('quotes', { report: WESTMINSTER, speaker: 'rudd' });
    expect(rudd.payload.embeds![0]!.fields![0]!.value).toContain('“no place for terrorists to hide”');
    const nobody = await bot.command('quotes', { report: WESTMINSTER, speaker: 'Theresa May' });
    expect(isEphemeral(nobody)).toBe(true);
    expect(nobody.payload.content).toMatch(/quotes nobody by that name/);
  });

  it('/claims shows each claim with its status, who made it and the evidence', async () => {
    const sent = await bot.command('claims', { report: WESTMINSTER });
    const fields = sent.payload.embeds![0]!.fields!;
    expect(fields).toHaveLength(facts.claims.length);
    facts.claims.forEach((claim, index) => {
      expect(fields[index]!.name.startsWith(CLAIM_MARKS[claim.status])).toBe(true);
      expect(fields[index]!.value).toContain(`**Claimed by:** ${escapeUserText(claim.claimedBy)}`);
      expect(fields[index]!.value).toContain(escapeUserText(claim.evidence).slice(0, 60));
    });
    const prison = fields[facts.claims.findIndex((claim) => claim.id === 'claim-radicalised-in-prison')]!;
    expect(prison.name).toMatch(/^💭 Speculation: /);
    expect(fields[0]!.name).toMatch(/^⚠️ Disputed claim: ISIS was behind the attack/);
  });

  it('/timeline lists every event in the report’s order', async () => {
    const sent = await bot.command('timeline', { report: WESTMINSTER });
    const [from, ...lines] = sent.payload.embeds![0]!.description!.split('\n');
    expect(from).toBe(`From *${escapeUserText(report.meta.title)}*`);
    expect(lines).toHaveLength(facts.timeline.length);
    facts.timeline.forEach((event, index) => {
      expect(lines[index]).toContain(`**${escapeUserText(event.when)}**: ${escapeUserText(event.what)}`);
    });
    const cited = lines.map((line) => Number(/\(¶(\d+)/.exec(line)?.[1]));
    expect([...cited].sort((a, b) => a - b)).toEqual(cited);
    expect(cited[0]).toBe(3);
  });

  it('/source shows the report’s details, saying "not given" for what the report lacks', async () => {
    const sent = await bot.command('source', { report: WESTMINSTER });
    const embed = sent.payload.embeds![0]!;
    expect(embed.title).toBe('London Attacker Links To ISIS Or Al-Qaeda Untrue');
    const field = (name: string) => embed.fields!.find((candidate) => candidate.name === name)?.value;
    expect(field('Outlet')).toMatch(/not given/);
    expect(field('Date')).toMatch(/not given/);
    expect(field('Link')).toMatch(/not given/);
    expect(field('Length')).toContain('14 paragraphs');
  });

  it('/source paragraph:7 quotes paragraph 7 verbatim', async () => {
    const sent = await bot.command('source', { report: WESTMINSTER, paragraph: 7 });
    const embed = sent.payload.embeds![0]!;
    expect(embed.title).toBe('Paragraph 7 of 14');
    expect(paragraphText(7)).not.toMatch(/[\\*_~`|[\]]/); // nothing to escape: the text below is the report's
    expect(embed.description).toBe(`**New info from investigation**\n> ${paragraphText(7)}`);
    expect(embed.description).toContain('\u00a0');
    expect(isEphemeral(sent)).toBe(false);
  });

  it('/source paragraph:99 → a clear message', async () => {
    const sent = await bot.command('source', { report: WESTMINSTER, paragraph: 99 });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toBe(`❌ *${escapeUserText(report.meta.title)}* has paragraphs 1 to 14; there is no paragraph 99.`);
  });

  it('/help lists every chat command', async () => {
    const sent = await bot.command('help');
    const description = sent.payload.embeds![0]!.description!;
    const chatCommands = commands.filter((command) => command.data.type === ApplicationCommandType.ChatInput);
    expect(chatCommands.length).toBeGreaterThanOrEqual(11);
    for (const command of chatCommands) expect(description).toContain(`\`/${command.data.name}\``);
    expect(isEphemeral(sent)).toBe(true);
  });
});

describe('dispatch guards', () => {
  it('an unknown command → ephemeral "Unknown command", logged as a warning', async () => {
    const sent = await bot.command('weather');
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toBe(`❌ ${UNKNOWN_COMMAND}`);
    expect(sent.payload.content).toMatch(/^❌ Unknown command/);
    expect(bot.logLines.some((line) => /WARN +unknown command name=weather/.test(line))).toBe(true);
  });

  it('a store that cannot be reached → an ephemeral "cannot reach its database" reply, not a generic failure', async () => {
    const unreachable = new StoreUnavailableError('the PostgreSQL database cannot be reached (ECONNREFUSED)');
    const failing = createTestBot({ store: storeWithOverrides({ listPins: () => Promise.reject(unreachable) }) });
    try {
      const sent = await failing.command('pins');
      expect(isEphemeral(sent)).toBe(true);
      expect(sent.payload.content).toBe(`❌ ${STORE_UNAVAILABLE}`);
      expect(failing.logLines.some((line) => /ERROR +handler failed: database unavailable .*ECONNREFUSED/.test(line))).toBe(true);
    } finally {
      await failing.close();
    }
  });

  it('a command that throws → ephemeral "Something went wrong" and one error line naming the command', async () => {
    const failing = createTestBot({ store: storeWithOverrides({ listPins: () => Promise.reject(new Error('disk on fire')) }) });
    try {
      const sent = await failing.command('pins');
      expect(isEphemeral(sent)).toBe(true);
      expect(sent.payload.content).toBe(`❌ ${SOMETHING_WENT_WRONG}`);
      expect(sent.payload.content).toMatch(/^❌ Something went wrong/);
      const errors = failing.logLines.filter((line) => / ERROR /.test(line));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/handler failed kind=command name=pins guild=\d+ ms=\d+ error=.*disk on fire/);

      const asked = await failing.command('ask', { question: 'who was arrested in birmingham' });
      expect(asked.payload.content).toBe(`❌ ${SOMETHING_WENT_WRONG}`);
      expect(failing.logLines.filter((line) => / ERROR /.test(line)).at(-1)).toMatch(/name=ask/);
    } finally {
      await failing.close();
    }
  });

  it('an unknown button → ephemeral message', async () => {
    const asked = await bot.command('arrests');
    const sent = await bot.click('poll:yes', asked.message);
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toMatch(/no longer does anything/);
  });
});

describe('autocomplete', () => {
  const checkChoices = (choices: Array<{ name: string; value: string | number }>) => {
    expect(choices.length).toBeLessThanOrEqual(LIMITS.choices);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
      expect(String(choice.value).length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  };

  it('/ask offers the channel report’s suggested questions first, and arrests for "arre"', async () => {
    await bot.command('report use', { report: WESTMINSTER }, { memberPermissions: SERVER_MANAGER });
    const empty = await bot.autocomplete('ask', { name: 'question', value: '' });
    checkChoices(empty);
    expect(empty.map((choice) => choice.name).slice(0, facts.suggestedQuestions.length)).toEqual(facts.suggestedQuestions.slice(0, 25));
    expect(empty).toHaveLength(25);
    const typed = await bot.autocomplete('ask', { name: 'question', value: 'arre' });
    checkChoices(typed);
    expect(typed.map((choice) => choice.value)).toContain('Who was arrested?');
  });

  it('/ask puts pinned questions first, cut to 100 characters', async () => {
    const long = `was the man arrested in birmingham ${'really '.repeat(20)}charged`;
    await bot.store.recordPin({
      guildId: GUILD_ID,
      channelId: CHANNEL_ID,
      messageId: '1',
      question: long,
      answerKey: 'westminster-attack/p13',
      pinnedBy: 'mod',
      pinnedAt: new Date().toISOString(),
    });
    const choices = await bot.autocomplete('ask', { name: 'question', value: '' });
    checkChoices(choices);
    expect(choices[0]!.name).toBe(long.slice(0, 100));
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('cuts what was typed to a question’s length before any work', async () => {
    const seen: string[] = [];
    const spied = createTestBot();
    try {
      const suggest = spied.services.library.suggest.bind(spied.services.library);
      spied.services.library.suggest = (typed, context, limit) => {
        seen.push(typed);
        return suggest(typed, context, limit);
      };
      checkChoices(await spied.autocomplete('ask', { name: 'question', value: 'arrested '.repeat(12_000) }));
      expect(seen.map((typed) => typed.length)).toEqual([300]);
    } finally {
      spied.services.library.suggest = library.suggest.bind(library);
      await spied.close();
    }
  });

  it('never fails on odd input', async () => {
    for (const value of ['x'.repeat(500), '🔥', '**', '<@123>']) checkChoices(await bot.autocomplete('ask', { name: 'question', value }));
  });

  it('/people and /quotes offer entities by name, with their id as value', async () => {
    expect(await bot.autocomplete('people', { name: 'name', value: 'bas' })).toEqual([{ name: 'Neil Basu', value: 'neil-basu' }]);
    const people = await bot.autocomplete('people', { name: 'name', value: '' }, {}, { report: WESTMINSTER });
    checkChoices(people);
    expect(people).toHaveLength(facts.entities.length);
    expect(await bot.autocomplete('quotes', { name: 'speaker', value: 'rud' })).toEqual([{ name: 'Amber Rudd', value: 'amber-rudd' }]);
  });

  it('a command without autocomplete gives no choices; a failing one gives none and logs', async () => {
    expect(await bot.autocomplete('reports', { name: 'x', value: '' })).toEqual([]);
    const failing = createTestBot({ store: storeWithOverrides({ listPins: () => Promise.reject(new Error('locked')) }) });
    try {
      expect(await failing.autocomplete('ask', { name: 'question', value: '' })).toEqual([]);
      expect(failing.logLines.some((line) => /ERROR +autocomplete failed name=ask .*locked/.test(line))).toBe(true);
    } finally {
      await failing.close();
    }
  });
});

describe('buttons', () => {
  it('Full paragraph shows the whole paragraph, ephemerally', async () => {
    const asked = await bot.command('ask', { question: 'who was arrested in birmingham' });
    const sent = await bot.click(idOf(asked, 'para'), asked.message);
    expect(isEphemeral(sent)).toBe(true);
    const embed = sent.payload.embeds![0]!;
    expect(embed.title).toBe('Paragraph 13 of 14');
    expect(embed.description).toBe(`**Radicalization debunked**\n> ${escapeUserText(paragraphText(13))}`);
  });

  it('Full paragraph of a paragraph that does not exist → a clear message', async () => {
    const asked = await bot.command('arrests', { report: WESTMINSTER });
    for (const id of ['para:westminster-attack:99', 'para:other-report:1', 'para:garbage']) {
      const sent = await bot.click(id, asked.message);
      expect(sent.payload.content).toBe('❌ That paragraph is no longer in the report.');
    }
  });

  it('Other passages shows the answer’s other hits, with bolded words and paragraph buttons', async () => {
    const asked = await bot.command('ask', { question: 'was he radicalised in prison' });
    const moreId = idOf(asked, 'more');
    // The answer shows the first hit; "Other passages" holds the next ones (at most 4).
    const expected = library
      .ask('was he radicalised in prison')
      .hits.slice(1, 5)
      .map((hit) => hit.paragraph);
    expect(expected.length).toBeGreaterThan(0);
    expect(moreId).toBe(`more:westminster-attack=${expected.join('.')}`);
    const sent = await bot.click(moreId, asked.message);
    expect(isEphemeral(sent)).toBe(true);
    const sources = sent.payload.embeds!.map((embed) => embed.fields?.find((field) => field.name === 'Source')?.value ?? '');
    expect(sources.map((source) => Number(/paragraph (\d+)/.exec(source)?.[1]))).toEqual(expected.slice(0, 4));
    expect(labels(sent)).toEqual(expected.map((number) => `Paragraph ${number}`));
    expect(sent.payload.embeds!.some((embed) => embed.description?.includes('**'))).toBe(true);
  });

  it('a suggestion button asks its question', async () => {
    const declined = await bot.command('ask', { question: 'who won the world cup' });
    const suggestion = declined.message.buttonIds.find((id) => id === 'ask:Who was arrested?') ?? declined.message.buttonIds[0]!;
    const sent = await bot.click(suggestion, declined.message);
    expect(sent.payload.embeds?.[0]?.author?.name).toBe(`Q: ${suggestion.slice('ask:'.length)}`);
    expect(labels(sent)).toContain('Full paragraph');
  });
});

describe('pinning answers', () => {
  const ask = (question = 'who was arrested in birmingham') => bot.command('ask', { question });

  it('a moderator pins: Discord pins the message and the store records it', async () => {
    const asked = await ask();
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR, user: { id: 'mod-1', name: 'Mo' } });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toMatch(/^📌 Pinned\./);
    expect(bot.discord.pinCalls).toEqual([{ action: 'pin', channelId: CHANNEL_ID, messageId: asked.message.id }]);
    expect(await bot.store.listPins(GUILD_ID)).toMatchObject([
      {
        guildId: GUILD_ID,
        channelId: CHANNEL_ID,
        messageId: asked.message.id,
        question: 'who was arrested in birmingham',
        answerKey: BIRMINGHAM_KEY,
        pinnedBy: 'mod-1',
      },
    ]);

    const again = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    expect(again.payload.content).toBe('This answer is already pinned.');
    expect(bot.discord.pinCalls).toHaveLength(1);
  });

  it('records the question as it was asked, even a long one (up to the 300-character limit)', async () => {
    const question = 'who was arrested in birmingham? '.repeat(9).trim();
    expect(question.length).toBeGreaterThan(256);
    expect(question.length).toBeLessThanOrEqual(300);
    const asked = await ask(question);
    await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    expect((await bot.store.listPins(GUILD_ID))[0]?.question).toBe(question);
  });

  it('the Pin Messages permission alone is enough', async () => {
    const asked = await ask();
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: PIN_ONLY_MODERATOR });
    expect(sent.payload.content).toMatch(/^📌 Pinned\./);
  });

  it('a member who is not a moderator cannot pin: nothing is pinned or recorded', async () => {
    const asked = await ask();
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MEMBER });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toBe(`❌ ${ONLY_MODERATORS}`);
    expect(bot.discord.pinCalls).toEqual([]);
    expect(await bot.store.listPins(GUILD_ID)).toEqual([]);
  });

  it('when the bot lacks the permission, it says which one and records nothing', async () => {
    bot.discord.pinError = new DiscordActionError('Missing Permissions', 403, 50013);
    const asked = await ask();
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toContain('Pin Messages');
    expect(sent.payload.content).toMatch(/permission/);
    expect(await bot.store.listPins(GUILD_ID)).toEqual([]);
    expect(bot.logLines.filter((line) => / ERROR /.test(line))).toEqual([]);
  });

  it('if recording fails, the Discord pin is undone', async () => {
    const failing = createTestBot({ store: storeWithOverrides({ recordPin: () => Promise.reject(new Error('disk full')) }) });
    try {
      const asked = await failing.command('ask', { question: 'who was arrested in birmingham' });
      const sent = await failing.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
      expect(sent.payload.content).toBe(`❌ ${SOMETHING_WENT_WRONG}`);
      expect(failing.discord.pinCalls.map((call) => call.action)).toEqual(['pin', 'unpin']);
      expect(failing.discord.pinned.size).toBe(0);
    } finally {
      await failing.close();
    }
  });

  it('refuses to pin outside a server, another user’s message, or a message that is not an answer', async () => {
    const asked = await ask();
    const inDm = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR, guildId: null });
    expect(inDm.payload.content).toMatch(/only be pinned in a server/);
    const forged: MessageSnapshot = { ...asked.message, id: '42', authorId: 'someone-else' };
    const notMine = await bot.click(idOf(asked, 'pin'), forged, { memberPermissions: MODERATOR });
    expect(notMine.payload.content).toMatch(/only pin my own answers/);
    const arrests = await bot.command('arrests');
    const viaMenu = await bot.command('Pin answer', {}, { memberPermissions: MODERATOR });
    expect(viaMenu.payload.content).toMatch(/Use “Pin answer” on one of my answers/);
    const notAnswer = await dispatchCommand(
      { ...invocation({ memberPermissions: MODERATOR }), commandName: 'Pin answer', options: {}, targetMessage: arrests.message },
      bot.services,
    );
    expect(notAnswer.content).toMatch(/not one of my answers/);
    // A forged payload: the button's message in another channel than the interaction's.
    const elsewhere = await bot.click(
      idOf(asked, 'pin'),
      { ...asked.message, channelId: '700000000000000999' },
      { memberPermissions: MODERATOR },
    );
    expect(elsewhere.payload.content).toBe('❌ That message is not in this channel, so I will not pin it from here.');
    expect(bot.discord.pinCalls).toEqual([]);
  });

  it('greetings and thanks get a short private reply, are not searched and never count as unanswered', async () => {
    const hi = await bot.command('ask', { question: 'hey there!' });
    expect(hi.payload.content).toMatch(/^Hi! Ask me anything about the report/);
    expect(isEphemeral(hi)).toBe(true);
    const thanks = await dispatchMention('thank you so much', { ...invocation(), commandName: 'ask', options: {} }, bot.services);
    expect(thanks.content).toMatch(/^You’re welcome/);
    const question = await bot.command('ask', { question: 'thanks, who was arrested in birmingham?' });
    expect(question.payload.embeds?.length).toBeGreaterThan(0);
    expect(await bot.store.listUnanswered(GUILD_ID, 10)).toEqual([]);
  });

  it('options of the wrong type (a forged payload) are dropped before the handler: declared types only', async () => {
    const sent = await bot.command('source', { paragraph: 'seven', report: 5 } as never);
    // No paragraph and no report: the details of every report, not a crash.
    expect(sent.payload.embeds).toHaveLength(library.reports.length);
    const fraction = await bot.command('source', { paragraph: 2.5, report: WESTMINSTER });
    expect(fraction.payload.embeds![0]!.title).toBe(westminster.meta.title);
  });

  it('a failed write to the unanswered log never costs the person their answer', async () => {
    const failing = createTestBot({
      store: storeWithOverrides({ recordUnanswered: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) }),
    });
    try {
      const sent = await failing.command('ask', { question: 'whats the capital of france' });
      expect(sent.payload.content).toMatch(/^I couldn’t find anything in the report about “whats the capital of france”/);
      expect(failing.logLines.some((line) => /WARN +could not record an unanswered question .*database or disk is full/.test(line))).toBe(
        true,
      );
    } finally {
      await failing.close();
    }
  });

  it('a failure meant for the user (pins without a token in HTTP mode) is shown as it is, not as "something went wrong"', async () => {
    const asked = await ask();
    bot.services.discord = {
      ...bot.services.discord,
      pinMessage: () => Promise.reject(new UserFacingError('Pinning needs DISCORD_TOKEN.')),
    };
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    expect(sent.payload.content).toBe('❌ Pinning needs DISCORD_TOKEN.');
    expect(bot.logLines.some((line) => /WARN +handler refused/.test(line))).toBe(true);
  });

  it('the "Pin answer" context menu pins an answer like the button does', async () => {
    const asked = await ask();
    const reply = await dispatchCommand(
      { ...invocation({ memberPermissions: MODERATOR }), commandName: 'Pin answer', options: {}, targetMessage: asked.message },
      bot.services,
    );
    expect(reply.content).toMatch(/^📌 Pinned\./);
    expect((await bot.store.listPins(GUILD_ID))[0]?.messageId).toBe(asked.message.id);
  });

  it('a pinned answer leads for a close paraphrase, linking to the pinned message', async () => {
    const asked = await ask('was he radicalised in prison');
    await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    const paraphrase = await bot.command('ask', { question: 'Was Masood radicalized in prison?' });
    const lead = paraphrase.payload.embeds![0]!;
    expect(lead.description).toContain('📌 **Pinned by the moderators**');
    expect(lead.description).toContain(`https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/${asked.message.id}`);
    expect(idOf(paraphrase, 'pin')).toBe(idOf(asked, 'pin'));
    const unrelated = await bot.command('ask', { question: 'what did amber rudd say' });
    expect(unrelated.payload.embeds![0]!.description).not.toContain('Pinned by the moderators');
  });
});

describe('/pins, /unpin, /unanswered', () => {
  async function pinned(question = 'who was arrested in birmingham'): Promise<Sent> {
    const asked = await bot.command('ask', { question });
    const sent = await bot.click(idOf(asked, 'pin'), asked.message, { memberPermissions: MODERATOR });
    expect(sent.payload.content).toMatch(/^📌 Pinned\./);
    return asked;
  }

  it('/pins with nothing pinned says so', async () => {
    const sent = await bot.command('pins');
    expect(sent.payload.content).toMatch(/No answers are pinned yet/);
  });

  it('/pins lists the pinned answers with links and paragraphs, for anyone in the server', async () => {
    const asked = await pinned();
    const sent = await bot.command('pins', {}, { memberPermissions: MEMBER });
    const embed = sent.payload.embeds![0]!;
    expect(embed.title).toBe('Pinned answers (1)');
    expect(embed.description).toContain(
      `📌 [who was arrested in birmingham](https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/${asked.message.id})`,
    );
    expect(embed.description).toContain('¶13');
  });

  it('/pins shows the paragraph of a pinned answer whose passage came from a fact', async () => {
    const asked = await pinned('what did amber rudd say');
    const key = idOf(asked, 'pin').slice('pin:'.length);
    const sent = await bot.command('pins');
    // The pinned passage is paragraph 10, whatever kind of document found it.
    expect(library.hitsForKeys([key])[0]?.paragraph).toBe(10);
    expect(sent.payload.embeds![0]!.description).toMatch(/· ¶10 ·/);
  });

  it('/pins is refused outside a server', async () => {
    const sent = await bot.command('pins', {}, { guildId: null, channelId: null });
    expect(sent.payload.content).toMatch(/belong to a server/);
  });

  it('/pins picks up pins removed or added in Discord’s own pin menu', async () => {
    const first = await pinned();
    bot.discord.pinned.delete(first.message.id); // unpinned by hand in Discord
    const other = await bot.command('ask', { question: 'what did amber rudd say' });
    bot.discord.pinned.add(other.message.id); // pinned by hand in Discord
    const sent = await bot.command('pins');
    expect(sent.payload.embeds![0]!.title).toBe('Pinned answers (1)');
    expect(sent.payload.embeds![0]!.description).toContain('what did amber rudd say');
    expect(await bot.store.getPin(GUILD_ID, first.message.id)).toBeUndefined();
    expect((await bot.store.getPin(GUILD_ID, other.message.id))?.pinnedBy).toBe('pinned in Discord');
  });

  it('/pins still lists the records when Discord’s pin list cannot be read', async () => {
    await pinned();
    bot.discord.listError = new DiscordActionError('Missing Access', 403, 50001);
    const sent = await bot.command('pins');
    expect(sent.payload.embeds![0]!.title).toBe('Pinned answers (1)');
    expect(bot.logLines.some((line) => /WARN +could not read the channel pins/.test(line))).toBe(true);
  });

  it('/unpin is for moderators only', async () => {
    const asked = await pinned();
    const sent = await bot.command('unpin', { answer: asked.message.id }, { memberPermissions: MEMBER });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toBe(`❌ ${ONLY_MODERATORS}`);
    expect(await bot.store.getPin(GUILD_ID, asked.message.id)).toBeDefined();
    expect(bot.discord.pinCalls.map((call) => call.action)).toEqual(['pin']);
  });

  it('/unpin by id or by message link removes the Discord pin and the record', async () => {
    const first = await pinned();
    const byId = await bot.command('unpin', { answer: first.message.id }, { memberPermissions: MODERATOR });
    expect(byId.payload.content).toBe('Unpinned “who was arrested in birmingham”.');
    expect(bot.discord.pinCalls.at(-1)).toEqual({ action: 'unpin', channelId: CHANNEL_ID, messageId: first.message.id });
    expect(await bot.store.listPins(GUILD_ID)).toEqual([]);

    const second = await pinned('what did amber rudd say');
    const link = `https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/${second.message.id}`;
    const byLink = await bot.command('unpin', { answer: link }, { memberPermissions: MODERATOR });
    expect(byLink.payload.content).toBe('Unpinned “what did amber rudd say”.');
    expect(await bot.store.listPins(GUILD_ID)).toEqual([]);
  });

  it('/unpin of a message already unpinned in Discord still drops the record', async () => {
    const asked = await pinned();
    bot.discord.unpinError = new DiscordActionError('Unknown Message', 404, 10008);
    const sent = await bot.command('unpin', { answer: asked.message.id }, { memberPermissions: MODERATOR });
    expect(sent.payload.content).toMatch(/^Unpinned/);
    expect(await bot.store.listPins(GUILD_ID)).toEqual([]);
  });

  it('/unpin of something that is not pinned says so; autocomplete lists the pins', async () => {
    const asked = await pinned();
    const sent = await bot.command('unpin', { answer: '123456' }, { memberPermissions: MODERATOR });
    expect(sent.payload.content).toBe('❌ That is not a pinned answer. /pins lists them.');
    expect(await bot.autocomplete('unpin', { name: 'answer', value: 'birm' })).toEqual([
      { name: 'who was arrested in birmingham', value: asked.message.id },
    ]);
    expect(await bot.autocomplete('unpin', { name: 'answer', value: 'rudd' })).toEqual([]);
  });

  it('/unanswered is for moderators only', async () => {
    await bot.command('ask', { question: 'who won the world cup' });
    const sent = await bot.command('unanswered', {}, { memberPermissions: MEMBER });
    expect(isEphemeral(sent)).toBe(true);
    expect(sent.payload.content).toBe('❌ Only moderators can see the unanswered questions.');
    expect(sent.payload.embeds).toEqual([]);
  });

  it('/unanswered lists the declined questions, most asked first', async () => {
    const none = await bot.command('unanswered', {}, { memberPermissions: MODERATOR });
    expect(none.payload.content).toMatch(/Every question so far found an answer/);
    await bot.command('ask', { question: 'who won the world cup' });
    await bot.command('ask', { question: 'whats the capital of france' });
    await bot.command('ask', { question: 'Whats the capital of France?' });
    await bot.command('ask', { question: 'who was arrested in birmingham' });
    const sent = await bot.command('unanswered', {}, { memberPermissions: MODERATOR });
    expect(isEphemeral(sent)).toBe(true);
    const lines = sent.payload.embeds![0]!.description!.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1\. “whats the capital of france” ×2 · last \d{4}-\d{2}-\d{2}$/);
    expect(lines[1]).toMatch(/^2\. “who won the world cup” ×1/);
  });

  it('declined questions are counted per server', async () => {
    await bot.command('ask', { question: 'who won the world cup' }, { guildId: '800000000000000002' });
    expect(await bot.store.listUnanswered(GUILD_ID, 10)).toEqual([]);
    expect(await bot.store.listUnanswered('800000000000000002', 10)).toHaveLength(1);
  });
});

describe('many reports in one bot', () => {
  const CHEMICAL = 'chemical-plant-leak';
  const HARBOUR = 'harbour-bridge-protest';
  const manager = { memberPermissions: SERVER_MANAGER };

  it('the knowledge holds several reports, so nothing below can lean on there being one', () => {
    expect(library.reports.map((candidate) => candidate.meta.id)).toEqual([CHEMICAL, HARBOUR, WESTMINSTER]);
  });

  it('/reports lists every report with its id and marks the channel’s', async () => {
    const before = await bot.command('reports');
    for (const candidate of library.reports) expect(before.payload.embeds![0]!.description).toContain(`\`${candidate.meta.id}\``);
    expect(before.payload.embeds![0]!.description).toContain('No default is set here');
    await bot.command('report use', { report: HARBOUR }, manager);
    const after = await bot.command('reports');
    expect(after.payload.embeds![0]!.description).toMatch(/`harbour-bridge-protest` · 19 paragraphs · \*\*this channel’s report\*\*/);
  });

  it('/report use: members are refused; a channel needs Manage Channels, the server Manage Server', async () => {
    const member = await bot.command('report use', { report: HARBOUR }, { memberPermissions: MEMBER });
    expect(isEphemeral(member)).toBe(true);
    expect(member.payload.content).toMatch(/^❌ Only moderators can choose the channel's report/);
    const channelOnly = PermissionFlagsBits.ManageChannels | PermissionFlagsBits.SendMessages;
    expect(
      (await bot.command('report use', { report: HARBOUR, for: 'server' }, { memberPermissions: channelOnly })).payload.content,
    ).toMatch(/Manage Server/);
    expect((await bot.command('report use', { report: HARBOUR }, { memberPermissions: channelOnly })).payload.content).toMatch(
      /now go to \*Climate protesters/,
    );
    expect(await bot.store.getDefaultReports(GUILD_ID, CHANNEL_ID)).toEqual({ channel: HARBOUR });
    await bot.command(
      'report use',
      { report: 'Two managers arrested after chlorine leak forced hundreds from their homes in Harrowby', for: 'server' },
      manager,
    );
    expect(await bot.store.getDefaultReports(GUILD_ID, CHANNEL_ID)).toEqual({ channel: HARBOUR, server: CHEMICAL });
    expect(await bot.store.getDefaultReports(GUILD_ID, 'another-channel')).toEqual({ server: CHEMICAL });
    await bot.command('report clear', {}, manager);
    expect(await bot.store.getDefaultReports(GUILD_ID, CHANNEL_ID)).toEqual({ server: CHEMICAL });
    expect((await bot.command('report use', { report: '  ' }, manager)).payload.content).toBe(
      '❌ Say which report: /report use report:<id> (see /reports).',
    );
    const unknown = await bot.command('report use', { report: 'no-such-report' }, manager);
    expect(unknown.payload.content).toMatch(
      /No report is called “no-such-report”. The reports are: `chemical-plant-leak`, `harbour-bridge-protest`, `westminster-attack`/,
    );
  });

  it('a question goes to the channel’s report first; an answer from another report says so', async () => {
    await bot.command('report use', { report: WESTMINSTER }, manager);
    const own = await bot.command('ask', { question: 'who was arrested in birmingham' });
    expect(own.payload.content ?? '').toBe('');
    expect(own.payload.embeds![0]!.fields!.find((field) => field.name === 'Source')?.value).toContain('London Attacker Links');
    const other = await bot.command('ask', { question: 'how many people were evacuated after the chlorine leak' });
    expect(other.payload.content).toBe(
      '*London Attacker Links To ISIS Or Al-Qaeda Untrue* (the report for this channel) doesn’t answer that; this is from *Two managers arrested after chlorine leak forced hundreds from their homes in Harrowby*.',
    );
    expect(other.payload.embeds![0]!.fields!.find((field) => field.name === 'Source')?.value).toContain('Two managers arrested');
  });

  it('with no default, each question goes to the report that answers it, and names it', async () => {
    const bridge = await bot.command('ask', { question: 'when did the harbour bridge reopen' });
    expect(bridge.payload.content ?? '').toBe('');
    expect(bridge.payload.embeds![0]!.fields!.find((field) => field.name === 'Source')?.value).toContain(
      'Climate protesters shut Westhaven Harbour Bridge',
    );
  });

  it('with no default, a question several reports answer as surely says so, naming the others', async () => {
    const sent = await bot.command('ask', { question: 'was the woman bailed' });
    expect(sent.payload.content).toMatch(
      /^This is from \*[^*]+\*; \*.+\* answers? it too\. Add the report to your question, or a moderator can set this channel’s report with \/report use\.$/,
    );
    await bot.command('report use', { report: WESTMINSTER }, manager);
    const set = await bot.command('ask', { question: 'was the woman bailed' });
    expect(set.payload.content ?? '').toBe('');
    expect(set.payload.embeds![0]!.fields!.find((field) => field.name === 'Source')?.value).toContain('London Attacker Links');
  });

  it('lists name their report; without report: or a default, every report is listed', async () => {
    const all = await bot.command('arrests');
    expect(all.payload.embeds!.map((embed) => embed.description?.split('\n')[0])).toEqual(
      library.reports.map((candidate) => `From *${escapeUserText(candidate.meta.title)}*`),
    );
    const one = await bot.command('quotes', { report: HARBOUR });
    expect(one.payload.embeds).toHaveLength(1);
    expect(one.payload.embeds![0]!.description).toBe(`From *${escapeUserText(library.findReport(HARBOUR)!.meta.title)}*`);
    expect(one.payload.embeds![0]!.footer?.text).toMatch(/^Found automatically/);
  });

  it('/source paragraph: asks which report when it cannot tell, and reads the channel’s when set', async () => {
    const unsure = await bot.command('source', { paragraph: 3 });
    expect(isEphemeral(unsure)).toBe(true);
    expect(unsure.payload.content).toMatch(/^❌ There are 3 reports; say which one with report:/);
    await bot.command('report use', { report: CHEMICAL }, manager);
    const sure = await bot.command('source', { paragraph: 3 });
    expect(sure.payload.embeds![0]!.title).toBe('Paragraph 3 of 18');
    expect(sure.payload.embeds![0]!.fields![0]!.value).toContain('Two managers arrested');
  });

  it('report: autocompletes over ids and titles', async () => {
    expect(await bot.autocomplete('timeline', { name: 'report', value: 'harb' })).toEqual([
      { name: library.findReport(HARBOUR)!.meta.title.slice(0, 100), value: HARBOUR },
    ]);
    expect(await bot.autocomplete('source', { name: 'report', value: '' })).toHaveLength(3);
    expect(await bot.autocomplete('people', { name: 'name', value: 'ilves' }, {}, {})).toEqual([
      { name: 'Margaret Ilves', value: 'margaret-ilves' },
    ]);
  });

  it('/reload is for moderators with Manage Server, and says what it did', async () => {
    expect((await bot.command('reload', {}, manager)).payload.content).toBe('❌ Reloading is not available here.');
    const reloading = createTestBot();
    reloading.services.reloadKnowledge = async () => ({ ok: true, message: 'No report changed. 3 report(s) served.' });
    try {
      expect((await reloading.command('reload', {}, { memberPermissions: MODERATOR })).payload.content).toMatch(
        /^❌ Only moderators with Manage Server/,
      );
      expect((await reloading.command('reload', {}, manager)).payload.content).toBe('No report changed. 3 report(s) served.');
    } finally {
      await reloading.close();
    }
  });
});
