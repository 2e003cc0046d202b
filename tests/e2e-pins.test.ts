/**
 * Moderators pin answers, end to end: the real bot process (`node --import tsx src/main.ts`)
 * against a fake Discord, with its SQLite file checked after the process stopped, and a restart
 * of the bot on the same file.
 *
 * The tests run in order and build on each other (one bot process, then a second one after the
 * restart): each pins a different answer (questions with nothing in common), so each asserts only
 * on its own message. No fixed sleeps: every step waits for the request or log line it expects.
 */
import Database from 'better-sqlite3';
import { AnswerEngine } from '../src/core/answer/index.ts';
import { reportKnowledge } from './fixtures/knowledge.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './fake-discord/fake-discord.ts';
import { type BotProcess, botEnv, botToken, CRASH_LINE, startReadyBot, tempDir } from './e2e/bot-process.ts';
import {
  ask,
  askForMessage,
  autocomplete,
  buttonIds,
  buttonWithPrefix,
  click,
  EPHEMERAL,
  interact,
  MEMBER,
  MODERATOR,
  PINNER,
  rest,
  slash,
} from './e2e/interactions.ts';

const APPLICATION_ID = '1300000000000000201';
const TOKEN = botToken(APPLICATION_ID);
const OFF_TOPIC = 'what is the capital of france';
/** The document that answers the Birmingham question (paragraph 13, or a fact citing it), as the bot's own engine finds it. */
const BIRMINGHAM_KEY = new AnswerEngine(reportKnowledge('westminster-attack')).ask('who was arrested in birmingham').hits[0]!.key;

let fake: FakeDiscord;
let bot: BotProcess;
const temp = tempDir('report-bot-e2e-pins-');
const databasePath = temp.file('pins.sqlite');
const startBot = () => startReadyBot(botEnv(fake, TOKEN, databasePath));

beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: APPLICATION_ID, validToken: TOKEN });
  bot = await startBot();
});

afterAll(async () => {
  await bot?.stop().catch(() => undefined);
  await fake?.close();
  temp.remove();
});

/** The answer messages each test pinned (or tried to), by what happened to them. */
const answers: Record<string, { id: string; question: string; message: any }> = {};

const pinPath = (messageId: string) => `/channels/${fake.ids.channelId}/messages/pins/${messageId}`;
const pinRequests = (method: 'PUT' | 'DELETE', messageId: string) =>
  fake.requests.filter((r) => r.method === method && r.path === pinPath(messageId));
const messageUrl = (messageId: string) => `https://discord.com/channels/${fake.ids.guildId}/${fake.ids.channelId}/${messageId}`;

/** The /pins listing as text (anyone may run it). */
async function pinsListing(): Promise<string> {
  const { data } = await slash(fake, 'pins');
  return [data.content ?? '', ...(data.embeds ?? []).map((embed: { description?: string }) => embed.description ?? '')].join('\n');
}

/** What the store holds, without reconciling with the channel first (as /pins does): /unpin's autocomplete. */
async function recordedPinIds(): Promise<string[]> {
  const { body } = await autocomplete(fake, 'unpin', 'answer', '', MODERATOR);
  expect(body.type).toBe(8);
  return body.data.choices.map((choice: { value: string }) => choice.value);
}

interface PinRow {
  guild_id: string;
  channel_id: string;
  message_id: string;
  question: string;
  answer_key: string;
  pinned_by: string;
}
function readPinRows(): PinRow[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT guild_id, channel_id, message_id, question, answer_key, pinned_by FROM pinned_answers').all() as PinRow[];
  } finally {
    db.close();
  }
}

async function askAndKeep(name: string, question: string) {
  const answered = await askForMessage(fake, question);
  answers[name] = { id: answered.message.id, question, message: answered.message };
  return answered.message;
}

describe('moderators pin answers', () => {
  it('a moderator with Manage Messages pins an answer with its Pin button', async () => {
    const message = await askAndKeep('byButton', 'who was arrested in birmingham');
    const pinButton = buttonWithPrefix(message, 'pin');
    expect(pinButton).toBe(`pin:${BIRMINGHAM_KEY}`);

    const { data } = await click(fake, message, pinButton, MODERATOR);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/Pinned/);
    expect(pinRequests('PUT', message.id)).toHaveLength(1);

    const listing = await pinsListing();
    expect(listing).toContain('who was arrested in birmingham');
    expect(listing).toContain(messageUrl(message.id));
  });

  it('pinning the same answer again says it is already pinned and calls Discord no more', async () => {
    const { message } = answers.byButton!;
    const { data } = await click(fake, message, buttonWithPrefix(message, 'pin'), MODERATOR);
    expect(data.content).toMatch(/already pinned/);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(pinRequests('PUT', message.id)).toHaveLength(1);
  });

  it('a moderator with only the Pin Messages permission (1 << 51) may pin too', async () => {
    const message = await askAndKeep('byPinMessages', 'was he radicalised in prison?');
    const { data } = await click(fake, message, buttonWithPrefix(message, 'pin'), PINNER);
    expect(data.content).toMatch(/Pinned/);
    expect(pinRequests('PUT', message.id)).toHaveLength(1);
    expect(await pinsListing()).toContain(messageUrl(message.id));
  });

  it('a member without the permission is told only moderators may pin, and nothing is pinned', async () => {
    const message = await askAndKeep('refused', 'what did amber rudd say?');
    const { data } = await click(fake, message, buttonWithPrefix(message, 'pin'), MEMBER);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/only moderators/i);
    // The reply came after the permission check: had it pinned, the PUT would be recorded by now.
    expect(pinRequests('PUT', message.id)).toEqual([]);
    expect(await recordedPinIds()).not.toContain(message.id);
  });

  it('when the bot itself may not pin, the moderator is told which permission to grant and nothing is recorded', async () => {
    const message = await askAndKeep('botForbidden', 'did isis claim responsibility?');
    const remove = fake.intercept((r) =>
      r.method === 'PUT' && r.path === pinPath(message.id)
        ? { status: 403, body: { message: 'Missing Permissions', code: 50013 } }
        : undefined,
    );
    try {
      const { data } = await click(fake, message, buttonWithPrefix(message, 'pin'), MODERATOR);
      expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(data.content).toMatch(/Pin Messages/);
      expect(data.content).toMatch(/permission/);
    } finally {
      remove();
    }
    expect(pinRequests('PUT', message.id)).toHaveLength(1);
    expect(await recordedPinIds()).not.toContain(message.id);
  });

  it('the “Pin answer” message command pins an answer too', async () => {
    const message = await askAndKeep('byContextMenu', 'what car did masood use?');
    const { data } = await interact(fake, () =>
      fake.sendMessageContextMenu({
        name: 'Pin answer',
        ...MODERATOR,
        targetMessage: {
          id: message.id,
          embeds: message.embeds,
          components: message.components,
          author: { id: fake.ids.botUserId, username: 'fake-bot', bot: true },
        },
      }),
    );
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/Pinned/);
    expect(pinRequests('PUT', message.id)).toHaveLength(1);
    expect(await pinsListing()).toContain(messageUrl(message.id));
  });

  it('“Pin answer” on somebody else’s message is refused without pinning', async () => {
    const { data } = await interact(fake, () =>
      fake.sendMessageContextMenu({
        name: 'Pin answer',
        ...MODERATOR,
        targetMessage: { id: '1300000000000000999', content: 'my own opinion', author: { id: fake.ids.userId } },
      }),
    );
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/only pin my own answers/);
    expect(pinRequests('PUT', '1300000000000000999')).toEqual([]);
  });

  // Discord cannot pin an ephemeral message (it is not in the channel), so a private answer offers no Pin button.
  it('a private answer (/ask private:true) offers no Pin button: an ephemeral message cannot be pinned', async () => {
    const { data } = await slash(fake, 'ask', { question: 'who was arrested in birmingham', private: true }, MODERATOR);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.embeds[0].description).toContain('**Birmingham**');
    expect(buttonIds(data.components).filter((id) => id.startsWith('pin:'))).toEqual([]);
  });

  it('a pin removed by hand in Discord drops the record (CHANNEL_PINS_UPDATE)', async () => {
    const message = await askAndKeep('unpinnedInDiscord', 'who is still in custody?');
    await click(fake, message, buttonWithPrefix(message, 'pin'), MODERATOR);
    expect(await recordedPinIds()).toContain(message.id);

    // A moderator unpins it in Discord's own pin menu: Discord unpins, then tells the bot.
    expect((await rest(fake, TOKEN, 'DELETE', pinPath(message.id))).status).toBe(204);
    const mark = bot.mark();
    fake.sendGatewayDispatch('CHANNEL_PINS_UPDATE', {
      guild_id: fake.ids.guildId,
      channel_id: fake.ids.channelId,
      last_pin_timestamp: null,
    });
    expect(await bot.waitForLog(/pins reconciled /, { after: mark })).toMatch(/added=0 removed=1/);
    expect(await recordedPinIds()).not.toContain(message.id);
  });

  it('a bot answer pinned by hand in Discord is recorded (CHANNEL_PINS_UPDATE)', async () => {
    const message = await askAndKeep('pinnedInDiscord', "when was masood's last criminal offence?");
    expect((await rest(fake, TOKEN, 'PUT', pinPath(message.id))).status).toBe(204);
    const mark = bot.mark();
    fake.sendGatewayDispatch('CHANNEL_PINS_UPDATE', {
      guild_id: fake.ids.guildId,
      channel_id: fake.ids.channelId,
      last_pin_timestamp: new Date().toISOString(),
    });
    expect(await bot.waitForLog(/pins reconciled /, { after: mark })).toMatch(/added=1 removed=0/);
    expect(await recordedPinIds()).toContain(message.id);
    const listing = await pinsListing();
    expect(listing).toContain("when was masood's last criminal offence?");
    expect(listing).toContain(messageUrl(message.id));
  });

  it('/unanswered shows moderators the declined questions with counts, and refuses members', async () => {
    await ask(fake, OFF_TOPIC);
    await ask(fake, 'What is the capital of France?'); // the same question, counted once normalised
    await ask(fake, 'who won the world cup in 2018');

    const { data } = await slash(fake, 'unanswered', {}, MODERATOR);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const listing: string = data.embeds[0].description;
    expect(listing).toContain(`“${OFF_TOPIC}” ×2`);
    expect(listing).toContain('“who won the world cup in 2018” ×1');
    expect(listing.indexOf(OFF_TOPIC)).toBeLessThan(listing.indexOf('world cup')); // most asked first

    const refused = await slash(fake, 'unanswered', {}, MEMBER);
    expect(refused.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.data.content).toMatch(/only moderators/i);
    expect(refused.data.embeds ?? []).toEqual([]);
  });

  it('after the bot stops (exit 0), the SQLite file holds exactly the pins made', async () => {
    const exit = await bot.stop();
    expect(exit, bot.log()).toEqual({ code: 0, signal: null });
    expect(bot.lines.filter((line) => CRASH_LINE.test(line))).toEqual([]);

    const rows = readPinRows();
    const byMessage = new Map(rows.map((row) => [row.message_id, row]));
    expect([...byMessage.keys()].sort()).toEqual(
      ['byButton', 'byPinMessages', 'byContextMenu', 'pinnedInDiscord'].map((name) => answers[name]!.id).sort(),
    );
    expect(byMessage.get(answers.byButton!.id)).toMatchObject({
      guild_id: fake.ids.guildId,
      channel_id: fake.ids.channelId,
      question: 'who was arrested in birmingham',
      answer_key: BIRMINGHAM_KEY,
      pinned_by: MODERATOR.userId,
    });
    expect(byMessage.get(answers.byPinMessages!.id)).toMatchObject({ question: 'was he radicalised in prison?', pinned_by: PINNER.userId });
    expect(byMessage.get(answers.byContextMenu!.id)).toMatchObject({ question: 'what car did masood use?', pinned_by: MODERATOR.userId });
    expect(byMessage.get(answers.pinnedInDiscord!.id)?.question).toBe("when was masood's last criminal offence?");
  });

  describe('after a restart on the same database file', () => {
    beforeAll(async () => {
      bot = await startBot();
    });

    it('a close paraphrase of a pinned question gets the pinned answer first, marked and linked', async () => {
      const { data } = await ask(fake, 'who got arrested in birmingham?');
      const [lead] = data.embeds;
      expect(lead.author.name).toBe('Q: who got arrested in birmingham?');
      expect(lead.description).toContain('Pinned by the moderators');
      expect(lead.description).toContain(`(${messageUrl(answers.byButton!.id)})`);
      expect(lead.description.replaceAll('**', '')).toContain('A 30-year-old man in Birmingham was arrested');
      expect(lead.fields.find((field: { name: string }) => field.name === 'Source')?.value).toMatch(/paragraph 13\b/);
    });

    it('an unrelated question is not given a pinned answer', async () => {
      const { data } = await ask(fake, 'did masood carry out a scoping mission?');
      expect(data.embeds[0].description).not.toContain('Pinned by the moderators');
    });

    it('/ask autocomplete with nothing typed offers the pinned questions first', async () => {
      const pinned = ['byButton', 'byPinMessages', 'byContextMenu', 'pinnedInDiscord'].map((name) => answers[name]!.question);
      const { body } = await autocomplete(fake, 'ask', 'question', '');
      const names: string[] = body.data.choices.map((choice: { name: string }) => choice.name);
      expect(names.length).toBeLessThanOrEqual(25);
      expect(names.slice(0, pinned.length).sort()).toEqual([...pinned].sort());
      expect(names[0]).toBe("when was masood's last criminal offence?"); // the newest pin
      expect(names.length).toBeGreaterThan(pinned.length); // then the usual suggestions
    });

    it('/unpin is refused to members, and removes both the Discord pin and the record for moderators', async () => {
      const { id } = answers.byButton!;
      const refused = await slash(fake, 'unpin', { answer: id }, MEMBER);
      expect(refused.data.content).toMatch(/only moderators/i);
      expect(pinRequests('DELETE', id)).toEqual([]);

      const { data } = await slash(fake, 'unpin', { answer: messageUrl(id) }, MODERATOR);
      expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(data.content).toContain('Unpinned “who was arrested in birmingham”');
      expect(pinRequests('DELETE', id)).toHaveLength(1);
      expect(await recordedPinIds()).not.toContain(id);
      const listing = await pinsListing();
      expect(listing).not.toContain(messageUrl(id));
      expect(listing).toContain(messageUrl(answers.byPinMessages!.id));

      // And the paraphrase is answered plainly again.
      const again = await ask(fake, 'who got arrested in birmingham?');
      expect(again.data.embeds[0].description).not.toContain('Pinned by the moderators');
    });

    it('stops with exit 0, and the unpinned answer is gone from the file', async () => {
      const exit = await bot.stop();
      expect(exit, bot.log()).toEqual({ code: 0, signal: null });
      expect(bot.lines.filter((line) => CRASH_LINE.test(line))).toEqual([]);
      const ids = readPinRows().map((row) => row.message_id);
      expect(ids).not.toContain(answers.byButton!.id);
      expect(ids.sort()).toEqual(['byPinMessages', 'byContextMenu', 'pinnedInDiscord'].map((name) => answers[name]!.id).sort());
    });
  });
});
