/**
 * End to end without Discord: the real bot process (`node --import tsx src/main.ts`, as
 * `npm start` runs it) logs into a fake Discord (tests/fake-discord) through the unmodified
 * discord.js client and answers interactions and mentions sent through the fake.
 *
 * One bot process serves the whole file (the tests only read the report; the unanswered-question
 * counters it writes are not asserted here). Startup failures run their own short-lived processes.
 * No fixed sleeps: every step waits for the request or log line it expects, with a timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, type FakeReply, type RecordedRequest, startFakeDiscord } from './fake-discord/fake-discord.ts';
import { type BotProcess, botEnv, botToken, CRASH_LINE, startBotProcess, startReadyBot, tempDir, waitForExit } from './e2e/bot-process.ts';
import {
  allText,
  ask,
  askForMessage,
  autocomplete,
  buttonIds,
  buttonLabels,
  buttonWithPrefix,
  callbackOf,
  click,
  EPHEMERAL,
  interact,
  MEMBER,
  originalMessage,
  REPLY_TIMEOUT_MS,
  SERVER_MANAGER,
  slash,
} from './e2e/interactions.ts';

const APPLICATION_ID = '1300000000000000101';
const TOKEN = botToken(APPLICATION_ID);
const PARAGRAPH_13 =
  'A 30-year-old man in Birmingham was arrested on suspicion of preparation of terrorist acts on Sunday. He and a 58-year-old man arrested last Thursday remain in custody.';
const PARAGRAPH_14_START = 'On Friday a 32-year-old woman was detained but has been bailed until later this month';
const OFF_TOPIC = 'what is the capital of france';

let fake: FakeDiscord;
let bot: BotProcess;
const temp = tempDir('report-bot-e2e-gateway-');

beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: APPLICATION_ID, validToken: TOKEN });
  bot = await startReadyBot(botEnv(fake, TOKEN, temp.file('bot.sqlite')));
});

afterAll(async () => {
  await bot?.stop().catch(() => undefined);
  await fake?.close();
  temp.remove();
});

/** Sends /ask without waiting for the answer (to intercept its callback first). */
const sendAsk = (question: string) =>
  fake.sendSlashCommand({ name: 'ask', ...MEMBER, options: [{ name: 'question', type: 3, value: question }] });

/** Embeds without markdown bold, to compare with the verbatim report text. */
const plain = (text: string | undefined) => (text ?? '').replaceAll('**', '').replaceAll('\\', '');

describe('the bot over the gateway, against a fake Discord', () => {
  it('logs in with the token and reaches ready', async () => {
    const identify = await fake.waitForIdentify();
    expect(identify.token).toBe(TOKEN);
    // Guilds (1) and GuildMessages (512); no privileged Message Content intent.
    expect(identify.intents & 1).toBe(1);
    expect(identify.intents & 512).toBe(512);
    expect(identify.intents & (1 << 15)).toBe(0);
    const gateway = await fake.waitForRequest((r) => r.path === '/gateway/bot');
    expect(gateway.headers.authorization).toBe(`Bot ${TOKEN}`);
    await bot.waitForLog(/ INFO +starting mode=gateway\b/);
    expect(await bot.waitForLog(/ INFO +ready\b/)).toMatch(/user=fake-bot guilds=1/);
    // The token never reaches the log.
    expect(bot.log()).not.toContain(TOKEN);
  });

  it('/ask answers with the passage, the matched words in bold, who said it, the source and the buttons', async () => {
    const { body, data } = await ask(fake, 'who was arrested in birmingham');
    expect(body.type).toBe(4);
    expect((data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = data.embeds;
    expect(embed.description).toContain('**Birmingham**');
    expect(plain(embed.description)).toContain(PARAGRAPH_13);
    expect(embed.author?.name).toBe('Q: who was arrested in birmingham');
    const fields: Array<{ name: string; value: string }> = embed.fields;
    expect(fields.find((field) => field.name === 'Who said it')?.value).toBeTruthy();
    expect(fields.find((field) => field.name === 'Source')?.value).toMatch(/paragraph 13\b/);
    const labels = buttonLabels(data.components);
    expect(labels).toContain('Full paragraph');
    expect(labels.some((label) => label.startsWith('Other passages'))).toBe(true);
    expect(labels).toContain('Pin');
    expect(buttonIds(data.components)).toEqual(
      expect.arrayContaining(['para:westminster-attack:13', expect.stringMatching(/^more:/), expect.stringMatching(/^pin:/)]),
    );
  });

  it('/arrests lists the four arrests and detentions', async () => {
    const { body, data } = await slash(fake, 'arrests', { report: 'westminster-attack' });
    expect(body.type).toBe(4);
    const [embed] = data.embeds;
    expect(embed.title).toBe('Arrests and detentions (4)');
    const fields: Array<{ name: string; value: string }> = embed.fields;
    expect(fields).toHaveLength(4);
    const byName = (pattern: RegExp) => fields.find((field) => pattern.test(field.name))?.value ?? '';
    expect(byName(/30-year-old man/)).toMatch(/Birmingham/);
    expect(byName(/30-year-old man/)).toMatch(/remains in custody/);
    expect(byName(/58-year-old man/)).toMatch(/remains in custody/);
    expect(byName(/32-year-old woman/)).toMatch(/bailed/);
    expect(byName(/nine/i)).toMatch(/released without charge/);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/report use (a subcommand) sets the channel’s report, and /source then reads it', async () => {
    const set = await interact(fake, () =>
      fake.sendSlashCommand({
        name: 'report',
        ...SERVER_MANAGER,
        options: [{ name: 'use', type: 1, options: [{ name: 'report', type: 3, value: 'westminster-attack' }] }],
      }),
    );
    expect(set.data.content).toBe(
      'Questions in this channel now go to *London Attacker Links To ISIS Or Al-Qaeda Untrue* first, then to the other reports.',
    );
    expect(set.data.flags).toBe(64);
    const { data } = await slash(fake, 'source', { paragraph: 13 });
    expect(data.embeds[0].title).toBe('Paragraph 13 of 14');
    const cleared = await interact(fake, () =>
      fake.sendSlashCommand({ name: 'report', ...SERVER_MANAGER, options: [{ name: 'clear', type: 1 }] }),
    );
    expect(cleared.data.content).toBe('This channel has no default report now.');
  });

  it('autocomplete offers at most 25 questions for what was typed, the arrests among them', async () => {
    const { body } = await autocomplete(fake, 'ask', 'question', 'arre');
    expect(body.type).toBe(8);
    const choices: Array<{ name: string; value: string }> = body.data.choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.some((choice) => /arrest/i.test(choice.name))).toBe(true);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('the Full paragraph and Other passages buttons answer privately', async () => {
    const { message } = await askForMessage(fake, 'who was arrested in birmingham');

    const paragraph = await click(fake, message, buttonWithPrefix(message, 'para'));
    expect(paragraph.body.type).toBe(4);
    expect(paragraph.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(paragraph.data.embeds[0].title).toMatch(/^Paragraph 13 of \d+$/);
    expect(plain(paragraph.data.embeds[0].description)).toContain(PARAGRAPH_13);

    const others = await click(fake, message, buttonWithPrefix(message, 'more'));
    expect(others.body.type).toBe(4);
    expect(others.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(others.data.embeds.length).toBeGreaterThan(0);
    expect(plain(allText(others.data))).toContain(PARAGRAPH_14_START);
    expect(allText(others.data)).toMatch(/paragraph 14\b/);
    expect(others.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('a question the report does not cover gets a kind reply with suggestions that answer when clicked', async () => {
    const { body, data, token } = await ask(fake, OFF_TOPIC);
    expect(body.type).toBe(4);
    expect(data.content).toContain(`“${OFF_TOPIC}”`);
    expect(data.content).toMatch(/couldn’t find anything in the report/);
    const suggestions = buttonIds(data.components).filter((id) => id.startsWith('ask:'));
    expect(suggestions.length).toBeGreaterThan(0);

    const message = await originalMessage(fake, token);
    for (const suggestion of suggestions) {
      const answer = await click(fake, message, suggestion);
      expect(answer.body.type, suggestion).toBe(4);
      expect(answer.data.embeds?.[0]?.author?.name, suggestion).toBe(`Q: ${suggestion.slice('ask:'.length)}`);
      expect(
        answer.data.embeds[0].fields.some((field: { name: string }) => field.name === 'Who said it'),
        suggestion,
      ).toBe(true);
    }
  });

  it('a message mentioning the bot gets a reply to that message that pings nobody', async () => {
    const { id } = fake.sendMessage({ content: `<@${fake.ids.botUserId}> was he radicalised in prison?` });
    const reply = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${fake.ids.channelId}/messages` && r.body?.message_reference?.message_id === id,
      REPLY_TIMEOUT_MS,
    );
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.body.embeds[0].author.name).toBe('Q: was he radicalised in prison?');
    // The passage is quoted with the matched words in bold.
    expect(reply.body.embeds[0].description.replaceAll('**', '')).toContain('There is no evidence that Masood was radicalised in prison');
    expect(reply.body.embeds[0].description).toMatch(/\*\*(radicalised|prison)\*\*/);
    expect(allText(reply.body)).toMatch(/Neil Basu/);
  });

  it('@everyone and role mentions in a question cannot ping, in an answer or a refusal', async () => {
    const role = '<@&1300000000000000777>';
    const declined = await ask(fake, `@everyone ${role} ${OFF_TOPIC}`);
    expect(declined.data.allowed_mentions).toEqual({ parse: [] });
    expect(declined.data.content).toContain('everyone'); // echoed...
    expect(declined.data.content).not.toMatch(/@everyone/); // ...but defused
    expect(declined.data.content).not.toContain(role);

    const answered = await ask(fake, `@everyone ${role} who was arrested in birmingham?`);
    expect(answered.data.allowed_mentions).toEqual({ parse: [] });
    expect(answered.data.embeds[0].description).toContain('**Birmingham**');
    const pingable = [
      answered.data.content ?? '',
      answered.data.embeds[0].description,
      ...answered.data.embeds[0].fields.map((f: { value: string }) => f.value),
    ].join('\n');
    expect(pingable).not.toMatch(/@everyone/);
    expect(pingable).not.toContain(role);

    const { id } = fake.sendMessage({ content: `<@${fake.ids.botUserId}> @everyone @here ${OFF_TOPIC}` });
    const reply = await fake.waitForRequest((r) => r.method === 'POST' && r.body?.message_reference?.message_id === id, REPLY_TIMEOUT_MS);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.body.content).not.toMatch(/@(everyone|here)/);
  });

  describe('when Discord’s REST API fails', () => {
    const failing = (id: string, reply: (attempt: number) => FakeReply | undefined) => {
      let attempt = 0;
      return fake.intercept((r: RecordedRequest) => (callbackOf(id)(r) ? reply(++attempt) : undefined));
    };

    it('a single 500 on the reply is retried and the answer delivered', async () => {
      const mark = bot.mark();
      const sent = sendAsk('who was arrested in birmingham');
      const remove = failing(sent.id, (attempt) =>
        attempt === 1 ? { status: 500, body: { message: '500: Internal Server Error', code: 0 } } : undefined,
      );
      try {
        await fake.waitForRequest(
          (r) => callbackOf(sent.id)(r) && fake.requests.filter(callbackOf(sent.id)).length === 2,
          REPLY_TIMEOUT_MS,
        );
      } finally {
        remove();
      }
      const attempts = fake.requests.filter(callbackOf(sent.id));
      expect(attempts).toHaveLength(2);
      expect(attempts[1]!.body).toMatchObject({ type: 4 });
      expect(bot.lines.slice(mark).filter((line) => /could not answer/.test(line))).toEqual([]);
    });

    it('a reply that keeps failing with 500 is logged, and the bot keeps serving', async () => {
      const mark = bot.mark();
      const sent = sendAsk('who was arrested in birmingham');
      const remove = failing(sent.id, () => ({ status: 500, body: { message: '500: Internal Server Error', code: 0 } }));
      try {
        const line = await bot.waitForLog(/could not answer the interaction/, { after: mark, timeoutMs: REPLY_TIMEOUT_MS });
        expect(line).toMatch(/ ERROR /);
        expect(line).toMatch(/Internal Server Error|500/);
      } finally {
        remove();
      }
      // discord.js retries a 5xx three times before giving up.
      expect(fake.requests.filter(callbackOf(sent.id))).toHaveLength(4);

      const next = await ask(fake, 'who was arrested in birmingham');
      expect(next.body.type).toBe(4);
      expect(next.data.embeds[0].description).toContain('**Birmingham**');
    });

    const RATE_LIMITED: FakeReply = {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      headers: {
        'retry-after': '0.2',
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '0.2',
        'x-ratelimit-bucket': 'fakebucket',
        'x-ratelimit-scope': 'user',
      },
    };

    /** Asks, answers the first reply with a 429, and waits for the retried reply. */
    async function askThroughOne429(): Promise<{ id: string }> {
      const sent = sendAsk('who was arrested in birmingham');
      const remove = failing(sent.id, (attempt) => (attempt === 1 ? RATE_LIMITED : undefined));
      try {
        await fake.waitForRequest(
          (r) => callbackOf(sent.id)(r) && fake.requests.filter(callbackOf(sent.id)).length === 2,
          REPLY_TIMEOUT_MS,
        );
      } finally {
        remove();
      }
      return sent;
    }

    it('a 429 with Retry-After on the reply is waited out, retried and delivered', async () => {
      const sent = await askThroughOne429();
      const [first, second] = fake.requests.filter(callbackOf(sent.id));
      expect(second!.body).toMatchObject({ type: 4 });
      expect(second!.body.data.embeds[0].description).toContain('**Birmingham**');
      expect(first!.body).toEqual(second!.body);
    });

    // Interaction callbacks retry a 429 without the REST 'rateLimited' event; the bot logs it from the 'response' event.
    it('a 429 on the reply is logged as rate limited', async () => {
      const mark = bot.mark();
      await askThroughOne429();
      // The retry has been delivered: a log line about the limit would have been written by now.
      expect(await bot.waitForLog(/rate limited/i, { after: mark, timeoutMs: 1000 })).toMatch(/ WARN /);
    });

    it('a 429 on a mention reply (a channel message) is logged as rate limited', async () => {
      const mark = bot.mark();
      const { id } = fake.sendMessage({ content: `<@${fake.ids.botUserId}> who was arrested in birmingham?` });
      let attempt = 0;
      const remove = fake.intercept((r) =>
        r.method === 'POST' && r.body?.message_reference?.message_id === id && ++attempt === 1 ? RATE_LIMITED : undefined,
      );
      try {
        await fake.waitForRequest(
          (r) => r.method === 'POST' && r.body?.message_reference?.message_id === id && attempt >= 2,
          REPLY_TIMEOUT_MS,
        );
      } finally {
        remove();
      }
      expect(await bot.waitForLog(/rate limited/i, { after: mark, timeoutMs: 1000 })).toMatch(
        / WARN +rate limited route=\/channels\/:id\/messages/,
      );
    });
  });

  // Each of these runs its own short-lived process (about a second each; side by side they are no
  // faster on a small machine).
  describe('startup failures an operator can fix', () => {
    it('a token Discord rejects: exit 1 with a clear message about DISCORD_TOKEN, no stack trace', async () => {
      const badToken = botToken(APPLICATION_ID, 'revoked-secret-part');
      const failed = startBotProcess(botEnv(fake, badToken, temp.file('bad-token.sqlite')));
      const exit = await waitForExit(failed);
      expect(exit.code, failed.log()).toBe(1);
      const stderr = failed.log();
      expect(stderr).toMatch(/DISCORD_TOKEN/);
      expect(stderr).toMatch(/401|rejected/i);
      expect(stderr).not.toMatch(/^ {4}at /m);
      expect(stderr).not.toContain(badToken);
      // The fake refused it where Discord does: the gateway/bot lookup, before any socket.
      const sent = fake.requests.filter((r) => r.headers.authorization === `Bot ${badToken}`);
      expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /gateway/bot']);
    });

    it.each<[string, string]>([
      ['DISCORD_GUILD_ID', 'abc'],
      ['DISCORD_TOKEN', 'not-a-bot-token'],
      ['DISCORD_API_URL', 'http://127.0.0.1:9/api/v10'],
    ])('a malformed %s (%s): exit 1 naming the key, no stack trace, nothing sent to Discord', async (key, value) => {
      // A token of its own, to tell this process's requests (there must be none) from the others'.
      const env = botEnv(fake, botToken(APPLICATION_ID, `never-sent-${key}`), temp.file(`bad-${key}.sqlite`), { [key]: value });
      const failed = startBotProcess(env);
      const exit = await waitForExit(failed);
      expect(exit.code, failed.log()).toBe(1);
      expect(failed.log()).toContain(key);
      expect(failed.log()).not.toMatch(/^ {4}at /m);
      expect(fake.requests.filter((r) => r.headers.authorization === `Bot ${env.DISCORD_TOKEN}`)).toEqual([]);
    });
  });

  it('stops gracefully on SIGTERM: exit code 0, and nothing crashed along the way', async () => {
    const mark = bot.mark();
    const exit = await bot.stop();
    expect(exit, bot.log()).toEqual({ code: 0, signal: null });
    expect(bot.lines.slice(mark).join('\n')).toMatch(/shutting down signal=SIGTERM/);
    expect(bot.lines.filter((line) => CRASH_LINE.test(line))).toEqual([]);
  });
});
