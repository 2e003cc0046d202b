/**
 * Conversations, votes and threads over HTTP interactions (src/adapters/http.ts): requests signed
 * as Discord signs them, on 127.0.0.1, with the real knowledge and a real SQLite store. Over HTTP
 * every request may reach another process, so what a conversation was about is kept in the store;
 * a button click carries the message as Discord holds it, which the test takes from the previous
 * response, as Discord would have shown it. Threads are started through a fake Discord's REST API.
 * Nothing waits a fixed time.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpInteractions, type HttpInteractionsServer } from '../src/adapters/http.ts';
import { StoredConversations } from '../src/bot/conversations.ts';
import { ReportLibrary } from '../src/core/answer/library.ts';
import { loadKnowledge } from '../src/core/knowledge/load.ts';
import { createLogger } from '../src/logger.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import { tempDir } from './e2e/bot-process.ts';
import { startFakeDiscord, type FakeDiscord, type FakeReply } from './fake-discord/fake-discord.ts';
import {
  ask,
  buttonClick,
  buttonIdsOf,
  IDS,
  makeKeyPair,
  messageJson,
  modalSubmit,
  PERMISSIONS,
  postInteraction,
  slashCommand,
  type KeyPair,
  type Where,
  httpTestConfig,
} from './http/helpers.ts';

const EPHEMERAL = 64;
const BIRMINGHAM = 'who was arrested in birmingham';
const HOW_OLD = 'how old was he';
/** How a follow-up's answer starts (src/bot/render.ts), as members read it. */
const FOLLOWING_ON = '↪️ *Following on, about ';
const PARAGRAPH_13_START = 'A 30-year-old man in Birmingham was arrested on suspicion of preparation of terrorist acts on Sunday.';

/** Members, each with a conversation of their own. */
const member = (n: number, username: string): Where => ({ userId: `13200000000000001${String(n).padStart(2, '0')}`, username });
const ALICE = member(1, 'alice');
const BOB = member(2, 'bob');
const CAROL = member(3, 'carol');

let library: ReportLibrary;
beforeAll(() => {
  library = new ReportLibrary(loadKnowledge());
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Endpoint {
  port: number;
  keys: KeyPair;
  store: BotStore;
  lines: string[];
  server: HttpInteractionsServer;
}

/** An endpoint on a store of its own (closed afterwards), or on one the test shares or reopens. */
async function startEndpoint(setup: { store?: BotStore; fake?: FakeDiscord; keys?: KeyPair } = {}): Promise<Endpoint> {
  const keys = setup.keys ?? makeKeyPair();
  const lines: string[] = [];
  const store = setup.store ?? openSqliteStore(':memory:');
  const server = await startHttpInteractions(
    httpTestConfig(keys, setup.fake ? { discordToken: 'test-token', apiUrl: setup.fake.apiUrl } : {}),
    { library, store, conversations: new StoredConversations(store), logger: createLogger('debug', (line) => lines.push(line)) },
    { host: '127.0.0.1', rest: { retries: 0, timeout: 3000 } },
  );
  cleanups.push(async () => {
    await server.stop();
    if (!setup.store) await store.close();
  });
  return { port: server.port, keys, store, lines, server };
}

/** Sends one interaction; the response must be 200 JSON, every message in it pinging nobody. */
async function send(endpoint: Endpoint, interaction: unknown): Promise<any> {
  const response = await postInteraction(endpoint.port, endpoint.keys, interaction);
  expect(response.status, response.text).toBe(200);
  const body = response.json();
  if (body.type === 4 || body.type === 7) expect(body.data.allowed_mentions, JSON.stringify(body)).toEqual({ parse: [] });
  return body;
}

/** The message Discord made of an answer (or updated with a click's response), as the next click carries it. */
const asMessage = (id: string, data: any, channelId = IDS.channelId) =>
  messageJson({ id, content: data.content, embeds: data.embeds, components: data.components, channelId });

const plain = (text: string | undefined) => (text ?? '').replaceAll('**', '').replaceAll('\\', '');
const sourceOf = (embed: any): string => embed?.fields?.find((field: { name: string }) => field.name === 'Source')?.value ?? '';
const voteLabels = (data: any): string[] =>
  (data.components ?? [])
    .flatMap((row: any) => row.components ?? [])
    .map((component: any) => component.label)
    .filter((label: unknown) => typeof label === 'string' && /^(👍|👎) \d+$/.test(label));
const buttonWithPrefix = (data: any, prefix: string): string => {
  const id = buttonIdsOf(data).find((candidate) => candidate.startsWith(`${prefix}:`));
  if (!id) throw new Error(`no "${prefix}:" button in ${JSON.stringify(buttonIdsOf(data))}`);
  return id;
};

function expectParagraph13(body: any, followUp: boolean): void {
  expect(body.type).toBe(4);
  const [embed] = body.data.embeds;
  expect(sourceOf(embed)).toMatch(/paragraph 13\b/);
  expect(plain(embed.description)).toContain(PARAGRAPH_13_START);
  if (followUp) {
    expect(embed.description.startsWith(FOLLOWING_ON), embed.description).toBe(true);
    expect(embed.description.split('\n')[0]).toMatch(/Birmingham/);
    expect(body.data.content ?? '').toBe('');
  } else expect(embed.description).not.toContain('Following on');
}

/** "how old was he" alone: declined, or answered from its own words ("old" is in every report), never following on. */
function expectNoContext(body: any): void {
  expect(body.type).toBe(4);
  const text = [body.data.content ?? '', ...(body.data.embeds ?? []).map((embed: any) => embed.description ?? '')].join('\n');
  expect(text).not.toContain('Following on');
  expect(body.data.content ?? '').toMatch(/couldn’t find anything|answer it too/);
}

describe('HTTP: follow-up questions', () => {
  it('a member’s “how old was he” after “who was arrested in birmingham” follows on; another member’s, or another channel’s, does not', async () => {
    const endpoint = await startEndpoint();
    expectParagraph13(await send(endpoint, ask(BIRMINGHAM, ALICE)), false);
    const followUp = await send(endpoint, ask(HOW_OLD, ALICE));
    expectParagraph13(followUp, true);
    expect(followUp.data.embeds[0].author.name).toBe(`Q: ${HOW_OLD}`);

    expectNoContext(await send(endpoint, ask(HOW_OLD, BOB)));
    expectNoContext(await send(endpoint, ask(HOW_OLD, { ...ALICE, channelId: '1300000000000000099' })));
  });

  it('the context is kept in the store: a second process on the same store continues the conversation', async () => {
    const store = openSqliteStore(':memory:');
    cleanups.push(() => store.close());
    const first = await startEndpoint({ store });
    const second = await startEndpoint({ store });
    expectParagraph13(await send(first, ask(BIRMINGHAM, CAROL)), false);
    expectParagraph13(await send(second, ask(HOW_OLD, CAROL)), true);
    // And still for the next follow-up, wherever it lands.
    expectParagraph13(await send(first, ask('where was he arrested', CAROL)), true);
  });
});

describe('HTTP: votes', () => {
  it('two members’ 👍, one taken back, a 👎 with its form, a vote changed: the counts follow on the message', async () => {
    const endpoint = await startEndpoint();
    const answered = await send(endpoint, ask(BIRMINGHAM, ALICE));
    const messageId = '1320000000000009001';
    let message = asMessage(messageId, answered.data);
    expect(voteLabels(answered.data)).toEqual(['👍 0', '👎 0']);
    const up = buttonWithPrefix(answered.data, 'vote');
    expect(up).toMatch(/^vote:up:westminster-attack\//);
    const key = up.slice('vote:up:'.length);
    const down = `vote:down:${key}`;

    /** A click; an update (7) becomes the message the next click carries. */
    const clickAs = async (customId: string, who: Where) => {
      const body = await send(endpoint, buttonClick(customId, message, who));
      if (body.type === 7) message = asMessage(messageId, body.data);
      return body;
    };

    const aliceUp = await clickAs(up, ALICE);
    expect(aliceUp.type).toBe(7);
    expect(aliceUp.data.flags).toBeUndefined();
    expect(voteLabels(aliceUp.data)).toEqual(['👍 1', '👎 0']);
    expect(voteLabels((await clickAs(up, BOB)).data)).toEqual(['👍 2', '👎 0']);
    // The answer is unchanged but for the counts.
    expect(message.embeds).toEqual(answered.data.embeds);
    expect(buttonIdsOf(message)).toEqual(buttonIdsOf(answered.data));

    // A second click on the same button takes the vote back.
    expect(voteLabels((await clickAs(up, ALICE)).data)).toEqual(['👍 1', '👎 0']);

    // 👎: the form (type 9), and the message keeps its counts until the form is sent.
    const form = await clickAs(down, ALICE);
    expect(form.type).toBe(9);
    expect(form.data.custom_id).toBe(`why:${key}`);
    expect(form.data.title.length).toBeLessThanOrEqual(45);
    expect(form.data.components.map((label: any) => [label.type, label.component.type, label.component.custom_id])).toEqual([
      [18, 3, 'reason'],
      [18, 4, 'comment'],
    ]);
    for (const label of form.data.components) expect(label.label.length).toBeLessThanOrEqual(45);
    expect(form.data.components[0].component.options.map((option: any) => option.value)).toEqual([
      'wrong-passage',
      'not-in-report',
      'other',
    ]);

    const submitted = await send(
      endpoint,
      modalSubmit(form.data.custom_id, { reason: ['wrong-passage'], comment: 'quotes the wrong man' }, message, ALICE),
    );
    expect(submitted.type).toBe(7);
    expect(voteLabels(submitted.data)).toEqual(['👍 1', '👎 1']);
    message = asMessage(messageId, submitted.data);
    const alicesVote = await endpoint.store.getVote(IDS.guildId, messageId, ALICE.userId!);
    expect(alicesVote).toMatchObject({ vote: 'down', reason: 'wrong-passage', comment: 'quotes the wrong man', answerKey: key });

    // Bob changes his 👍 to 👎: the form again, and his reason.
    const bobsForm = await clickAs(down, BOB);
    expect(bobsForm.type).toBe(9);
    const bobSubmitted = await send(
      endpoint,
      modalSubmit(bobsForm.data.custom_id, { reason: ['not-in-report'], comment: '' }, message, BOB),
    );
    expect(bobSubmitted.type).toBe(7);
    expect(voteLabels(bobSubmitted.data)).toEqual(['👍 0', '👎 2']);
    message = asMessage(messageId, bobSubmitted.data);

    // Alice takes her 👎 back; a form she sends after that has nothing to explain.
    expect(voteLabels((await clickAs(down, ALICE)).data)).toEqual(['👍 0', '👎 1']);
    const late = await send(endpoint, modalSubmit(`why:${key}`, { reason: ['other'], comment: 'late' }, message, ALICE));
    expect(late.type).toBe(4);
    expect(late.data.flags).toBe(EPHEMERAL);
    expect(late.data.content).toMatch(/^❌ .*taken back/);
    expect(await endpoint.store.tallyVotes(IDS.guildId, messageId)).toEqual({ up: 0, down: 1 });
  });

  it('a private answer and an answer in a DM offer no votes and no thread: nobody else could see them', async () => {
    const endpoint = await startEndpoint();
    for (const body of [
      await send(endpoint, ask(BIRMINGHAM, ALICE, [{ name: 'private', type: 5, value: true }])),
      await send(endpoint, ask(BIRMINGHAM, { ...ALICE, guild: false })),
    ]) {
      expect(body.type).toBe(4);
      expect(buttonIdsOf(body.data).filter((id) => /^(vote|thread):/.test(id))).toEqual([]);
    }
  });

  it('a form submitted without the message it came from does nothing, and says so', async () => {
    const endpoint = await startEndpoint();
    const body = await send(endpoint, modalSubmit('why:westminster-attack/p13', { reason: ['other'] }, undefined, ALICE));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toMatch(/does not do anything/);
  });
});

describe('HTTP: Ask in a thread', () => {
  /** Discord's answer to starting a thread from message m: the thread (its id is m's), or an error. */
  function threadStarts(fake: FakeDiscord, reply: (messageId: string) => FakeReply): void {
    fake.intercept((r) => {
      const match = r.method === 'POST' ? /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(r.path) : null;
      return match ? reply(match[2]!) : undefined;
    });
  }
  const thread = (id: string) => ({ status: 201, body: { id, type: 11, guild_id: IDS.guildId, parent_id: IDS.channelId, name: 'x' } });

  it('starts a thread as the bot, and a question there by another member is read with the answer in mind', async () => {
    const fake = await startFakeDiscord({ applicationId: IDS.applicationId, guildId: IDS.guildId, channelId: IDS.channelId });
    cleanups.push(() => fake.close());
    threadStarts(fake, thread);
    const endpoint = await startEndpoint({ fake });
    const answered = await send(endpoint, ask(BIRMINGHAM, ALICE));
    const messageId = '1320000000000009101';
    const clicked = await send(
      endpoint,
      buttonClick(buttonWithPrefix(answered.data, 'thread'), asMessage(messageId, answered.data), ALICE),
    );
    expect(clicked.type).toBe(4);
    expect(clicked.data.flags).toBe(EPHEMERAL);
    expect(clicked.data.content).toContain(`<#${messageId}>`);
    const start = fake.requests.find((r) => r.path === `/channels/${IDS.channelId}/messages/${messageId}/threads`);
    expect(start?.headers.authorization).toBe('Bot test-token');
    expect(start?.body).toMatchObject({ name: BIRMINGHAM });

    const inThread = await send(endpoint, ask(HOW_OLD, { ...BOB, channelId: messageId, thread: true }));
    expectParagraph13(inThread, true);
  });

  it('Discord’s refusals are explained to whoever clicked: a missing permission, a thread that exists', async () => {
    const fake = await startFakeDiscord({ applicationId: IDS.applicationId, guildId: IDS.guildId, channelId: IDS.channelId });
    cleanups.push(() => fake.close());
    let refusal: FakeReply = { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    threadStarts(fake, () => refusal);
    const endpoint = await startEndpoint({ fake });
    const answered = await send(endpoint, ask(BIRMINGHAM, ALICE));
    const message = asMessage('1320000000000009201', answered.data);
    const threadButton = buttonWithPrefix(answered.data, 'thread');

    const forbidden = await send(endpoint, buttonClick(threadButton, message, ALICE));
    expect(forbidden.data.flags).toBe(EPHEMERAL);
    expect(forbidden.data.content).toMatch(/Create Public Threads/);

    refusal = { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
    const exists = await send(endpoint, buttonClick(threadButton, message, ALICE));
    expect(exists.data.flags).toBe(EPHEMERAL);
    expect(exists.data.content).toMatch(/already a thread/);
    expect(exists.data.content).toContain(`<#${message.id}>`);
  });
});

describe('HTTP: /insights', () => {
  it('shows moderators the asked questions, the declined one, the voted-down answer with its 👎 and reason, and the pin; members are refused', async () => {
    const fake = await startFakeDiscord({ applicationId: IDS.applicationId, guildId: IDS.guildId, channelId: IDS.channelId });
    cleanups.push(() => fake.close());
    const endpoint = await startEndpoint({ fake });
    const MODERATOR: Where = { ...member(9, 'moderator'), permissions: PERMISSIONS.moderator };

    const answered = await send(endpoint, ask(BIRMINGHAM, ALICE));
    await send(endpoint, ask(HOW_OLD, ALICE));
    await send(endpoint, ask(HOW_OLD, BOB));
    await send(endpoint, ask('what is the capital of france', CAROL));
    const messageId = '1320000000000009401';
    const message = asMessage(messageId, answered.data);
    const down = buttonWithPrefix(answered.data, 'vote').replace(/^vote:up:/, 'vote:down:');
    const form = await send(endpoint, buttonClick(down, message, BOB));
    expect(form.type).toBe(9);
    const submitted = await send(
      endpoint,
      modalSubmit(form.data.custom_id, { reason: ['not-in-report'], comment: 'says nothing of his age' }, message, BOB),
    );
    const pinned = await send(
      endpoint,
      buttonClick(buttonWithPrefix(answered.data, 'pin'), asMessage(messageId, submitted.data), MODERATOR),
    );
    expect(pinned.data.content).toMatch(/Pinned/);

    const insights = await send(endpoint, slashCommand('insights', [{ name: 'period', type: 3, value: 'day' }], MODERATOR));
    expect(insights.type).toBe(4);
    expect(insights.data.flags).toBe(EPHEMERAL);
    const byTitle = new Map<string, string>(insights.data.embeds.map((embed: any) => [embed.title, embed.description]));
    const mostAsked = byTitle.get('Most asked, the last 24 hours') ?? '';
    expect(mostAsked).toContain(`“${HOW_OLD}” ×2`);
    expect(mostAsked).toContain(`“${BIRMINGHAM}” ×1`);
    expect(mostAsked).toContain('“what is the capital of france” ×1 (declined 1)');
    expect(byTitle.get('Questions the reports could not answer')).toContain('“what is the capital of france” ×1');
    const link = `https://discord.com/channels/${IDS.guildId}/${IDS.channelId}/${messageId}`;
    const unhelpful = byTitle.get('Answers voted unhelpful') ?? '';
    expect(unhelpful).toMatch(/“who was arrested in birmingham” → .*paragraph 13 · 👍 0 👎 1 · the report doesn’t say ×1/);
    expect(unhelpful).toContain(`(${link})`);
    expect(unhelpful).toContain('says nothing of his age');
    const pins = byTitle.get('Pins made in this period') ?? '';
    expect(pins).toMatch(/“who was arrested in birmingham” → .*paragraph 13 · 👍 0 👎 1/);

    const refused = await send(endpoint, slashCommand('insights', [], ALICE));
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.content).toMatch(/^❌ Only moderators/);
    expect(refused.data.embeds).toEqual([]);
  });
});

describe('HTTP: a restart on the same SQLite file', () => {
  it('keeps the conversation and the votes: a follow-up after the restart, and a 👍 counted with the one before it', async () => {
    const temp = tempDir('report-bot-http-conversations-');
    cleanups.push(async () => temp.remove());
    const path = temp.file('bot.sqlite');
    const keys = makeKeyPair();

    const firstStore = openSqliteStore(path);
    const before = await startEndpoint({ store: firstStore, keys });
    const answered = await send(before, ask(BIRMINGHAM, ALICE));
    expectParagraph13(answered, false);
    const messageId = '1320000000000009301';
    const up = buttonWithPrefix(answered.data, 'vote');
    const voted = await send(before, buttonClick(up, asMessage(messageId, answered.data), ALICE));
    expect(voteLabels(voted.data)).toEqual(['👍 1', '👎 0']);
    await before.server.stop();
    await firstStore.close();

    const secondStore = openSqliteStore(path);
    cleanups.push(() => secondStore.close());
    const after = await startEndpoint({ store: secondStore, keys });
    expectParagraph13(await send(after, ask(HOW_OLD, ALICE)), true);

    // Bob's 👍 on the message as it was shown before the restart.
    const bobs = await send(after, buttonClick(up, asMessage(messageId, voted.data), BOB));
    expect(bobs.type).toBe(7);
    expect(voteLabels(bobs.data)).toEqual(['👍 2', '👎 0']);
    // Alice's vote is still hers: a second click takes it back.
    const taken = await send(after, buttonClick(up, asMessage(messageId, bobs.data), ALICE));
    expect(voteLabels(taken.data)).toEqual(['👍 1', '👎 0']);
  });
});
