/**
 * Follow-up questions, votes, threads and /insights through the real dispatcher, the real
 * knowledge and a real (in-memory) SQLite store. The transports are tested apart
 * (e2e-conversations: discord.js against the fake Discord; http-conversations: signed requests).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leansOnContext } from '../src/core/answer/follow-up.ts';
import { prepareQuestion } from '../src/core/answer/question.ts';
import { MemoryConversations } from '../src/bot/conversations.ts';
import { DiscordActionError } from '../src/bot/types.ts';
import { FOLLOW_UP_MARK } from '../src/bot/render.ts';
import { createTestBot, GUILD_ID, library, MEMBER, MODERATOR, WESTMINSTER, type TestBot } from './fixtures/bot.ts';

const ALICE = { user: { id: 'alice', name: 'Alice' }, memberPermissions: MEMBER };
const BOB = { user: { id: 'bob', name: 'Bob' }, memberPermissions: MEMBER };
const MOD = { user: { id: 'mod', name: 'Mod' }, memberPermissions: MODERATOR };

const labels = (sent: { buttons: Array<{ label?: string }> }) => sent.buttons.map((button) => button.label);
const paragraphOf = (sent: { payload: { embeds?: Array<{ fields?: Array<{ name: string; value: string }> }> } }) =>
  /paragraph (\d+)/.exec(sent.payload.embeds?.[0]?.fields?.find((field) => field.name === 'Source')?.value ?? '')?.[1];

let bot: TestBot;
beforeEach(() => {
  bot = createTestBot();
});
afterEach(async () => {
  await bot.close();
});

describe('which questions lean on the conversation', () => {
  const engine = library.engineFor(WESTMINSTER)!;
  const leans = (question: string) =>
    leansOnContext(question, prepareQuestion(question, (engine as unknown as { context: Parameters<typeof prepareQuestion>[1] }).context));

  it.each(['how old was he', 'and the woman?', 'where was that', 'why?', 'what did they call him'])('"%s" leans on it', (question) =>
    expect(leans(question)).toBe(true),
  );
  it.each(['what car did masood use', 'was there a woman arrested too', 'how many people were released without charge'])(
    '"%s" stands alone',
    (question) => expect(leans(question)).toBe(false),
  );
});

describe('follow-up questions', () => {
  it('"how old was he?" after "who was arrested in birmingham?" answers from the same passage, and says what it took', async () => {
    const opening = await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    expect(paragraphOf(opening)).toBe('13');
    const followUp = await bot.command('ask', { question: 'how old was he' }, ALICE);
    expect(paragraphOf(followUp)).toBe('13');
    expect(followUp.payload.embeds?.[0]?.description).toContain(FOLLOW_UP_MARK);
  });

  it('is one member’s conversation in one channel: another member, or another channel, starts afresh', async () => {
    await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const bobAsks = await bot.command('ask', { question: 'how old was he' }, BOB);
    expect(bobAsks.payload.embeds?.[0]?.description ?? '').not.toContain(FOLLOW_UP_MARK);
    const elsewhere = await bot.command('ask', { question: 'how old was he' }, { ...ALICE, channelId: 'another-channel' });
    expect(elsewhere.payload.embeds?.[0]?.description ?? '').not.toContain(FOLLOW_UP_MARK);
  });

  it('outside a thread only the member’s own conversation is looked up (one read, not two)', async () => {
    const reads: string[] = [];
    const { get } = bot.services.conversations;
    bot.services.conversations.get = (key, now) => {
      reads.push(key);
      return get.call(bot.services.conversations, key, now);
    };
    await bot.command('ask', { question: 'who was arrested in birmingham' }, { ...ALICE, inThread: false });
    expect(reads).toEqual([expect.stringMatching(/^member:/)]);
    reads.length = 0;
    await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    expect(reads).toHaveLength(2);
  });

  it('a standalone question is not changed by the conversation before it', async () => {
    const alone = await bot.command('ask', { question: 'what car did masood use in the attack' }, BOB);
    await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const after = await bot.command('ask', { question: 'what car did masood use in the attack' }, ALICE);
    expect(after.payload.embeds).toEqual(
      alone.payload.embeds?.map((embed) => ({ ...embed, footer: { text: embed.footer?.text.replace('Bob', 'Alice') ?? '' } })),
    );
  });

  it('a conversation older than its window is forgotten', async () => {
    const conversations = new MemoryConversations();
    const context = { reportId: WESTMINSTER, topic: 'who was arrested in birmingham', passages: [], about: 'x', at: 0 };
    await conversations.set('k', context);
    expect(await conversations.get('k', 60_000)).toEqual(context);
    expect(await conversations.get('k', 11 * 60_000)).toBeUndefined();
  });

  it('memory is bounded: the least recently used conversation goes first', async () => {
    const conversations = new MemoryConversations(2);
    const at = Date.now();
    for (const key of ['a', 'b', 'c']) await conversations.set(key, { reportId: WESTMINSTER, topic: key, passages: [], about: key, at });
    expect(conversations.size).toBe(2);
    expect(await conversations.get('a', at)).toBeUndefined();
    expect((await conversations.get('c', at))?.topic).toBe('c');
  });
});

describe('votes', () => {
  it('two members vote, one changes their mind, and a second click takes a vote back', async () => {
    const answer = await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const up = answer.buttons.find((button) => button.label?.startsWith('👍'))!.custom_id;
    const down = answer.buttons.find((button) => button.label?.startsWith('👎'))!.custom_id;

    expect(labels(await bot.click(up, answer.message, ALICE))).toContain('👍 1');
    expect(labels(await bot.click(up, answer.message, BOB))).toContain('👍 2');
    expect(labels(await bot.click(up, answer.message, BOB))).toContain('👍 1');

    const form = await bot.click(down, answer.message, ALICE);
    expect(form.reply.modal?.custom_id).toMatch(/^why:westminster-attack\//);
    expect(await bot.store.tallyVotes(GUILD_ID, answer.message.id)).toEqual({ up: 0, down: 1 });
    const submitted = await bot.submit(
      form.reply.modal!.custom_id,
      { reason: ['wrong-passage'], comment: 'it is about the other man' },
      answer.message,
      ALICE,
    );
    expect(submitted.reply.updateMessage).toBe(true);
    expect(labels(submitted)).toEqual(expect.arrayContaining(['👍 0', '👎 1', 'Pin']));
    expect(await bot.store.getVote(GUILD_ID, answer.message.id, 'alice')).toMatchObject({
      vote: 'down',
      reason: 'wrong-passage',
      comment: 'it is about the other man',
      question: 'who was arrested in birmingham',
      reportId: WESTMINSTER,
    });
  });

  it('a passage members voted helpful comes first the next time the question is asked', async () => {
    const first = await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const other = first.buttons.find((button) => button.custom_id.startsWith('more:'));
    expect(other).toBeDefined();
    // Members found the second passage (the woman detained on Friday, paragraph 14) the helpful one.
    const second = library.hitsForKeys([`${WESTMINSTER}/p14`])[0]!;
    await bot.store.recordVote({
      guildId: GUILD_ID,
      channelId: 'c',
      messageId: 'm',
      userId: 'alice',
      vote: 'up',
      question: 'who was arrested in birmingham',
      answerKey: second.key,
      reportId: WESTMINSTER,
      votedAt: new Date().toISOString(),
    });
    const again = await bot.command('ask', { question: 'who was arrested in Birmingham?' }, BOB);
    expect(paragraphOf(again)).toBe('14');
  });

  it('private answers carry no votes', async () => {
    const answer = await bot.command('ask', { question: 'who was arrested in birmingham', private: true }, ALICE);
    expect(labels(answer).some((label) => label?.startsWith('👍'))).toBe(false);
  });
});

describe('threads', () => {
  it('a thread started from an answer keeps its context for everyone who asks there', async () => {
    const answer = await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const thread = answer.buttons.find((button) => button.label === 'Ask in a thread')!.custom_id;
    const started = await bot.click(thread, answer.message, ALICE);
    expect(started.payload.content).toContain(`<#${answer.message.id}>`);
    const inThread = await bot.command('ask', { question: 'how old was he' }, { ...BOB, channelId: answer.message.id, inThread: true });
    expect(paragraphOf(inThread)).toBe('13');
    expect(inThread.payload.embeds?.[0]?.description).toContain(FOLLOW_UP_MARK);
  });

  it('missing permission and an existing thread get clear messages', async () => {
    const answer = await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    const thread = answer.buttons.find((button) => button.label === 'Ask in a thread')!.custom_id;
    bot.discord.threadError = new DiscordActionError('Missing Permissions', 403, 50013);
    expect((await bot.click(thread, answer.message, ALICE)).payload.content).toMatch(/Create Public Threads permission/);
    bot.discord.threadError = new DiscordActionError('A thread has already been created for this message', 400, 160004);
    expect((await bot.click(thread, answer.message, ALICE)).payload.content).toMatch(/already a thread/);
  });
});

describe('/insights', () => {
  it('shows moderators the most asked, the declined, the answers voted down and the pins; members are refused', async () => {
    await bot.command('ask', { question: 'who was arrested in birmingham' }, ALICE);
    await bot.command('ask', { question: 'who was arrested in Birmingham?' }, BOB);
    await bot.command('ask', { question: 'what is the capital of france' }, BOB);
    const answer = await bot.command('ask', { question: 'what car did masood use' }, ALICE);
    const down = answer.buttons.find((button) => button.label?.startsWith('👎'))!.custom_id;
    const form = await bot.click(down, answer.message, BOB);
    await bot.submit(form.reply.modal!.custom_id, { reason: ['not-in-report'], comment: '' }, answer.message, BOB);

    expect((await bot.command('insights', {}, ALICE)).payload.content).toMatch(/Only moderators/);
    const insights = await bot.command('insights', { period: 'day' }, MOD);
    const text = JSON.stringify(insights.payload.embeds);
    expect(text).toContain('“who was arrested in birmingham” ×2');
    expect(text).toContain('“what is the capital of france” ×1');
    expect(text).toMatch(/what car did masood use.*👎 1.*the report doesn’t say ×1.*\[message\]\(https:\/\/discord.com\/channels\//);
  });
});
