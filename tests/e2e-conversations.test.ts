/**
 * Conversations, threads and votes end to end: the real bot process (`node --import tsx src/main.ts`)
 * logs into the fake Discord through the unmodified discord.js client, and members talk to it.
 *
 * - follow-up questions, by /ask and by mention: "who was arrested in birmingham?" then "how old
 *   was he?" is read with the first answer in mind, for that member only;
 * - "Ask in a thread" starts a thread from an answer (its id is the answer's), and anyone asking in
 *   it is answered with that answer as context; Discord's refusals are explained to whoever clicked;
 * - 👍/👎 from several members, a 👍 taken back, the 👎 form and its submission (HTTP changes a vote too);
 * - /insights for moderators, over everything the file did.
 *
 * The tests run in order and build on each other (one bot process, with a second one for a bot that
 * may not create threads). Each member asks in a conversation of their own (a user id of its own), so
 * a context can only come from where the test put it. No fixed sleeps: every step waits for the
 * request it expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, type InvokerOptions, type RecordedRequest, startFakeDiscord } from './fake-discord/fake-discord.ts';
import { type BotProcess, botEnv, botToken, CRASH_LINE, startReadyBot, tempDir } from './e2e/bot-process.ts';
import {
  allText,
  ask,
  askForMessage,
  buttonLabels,
  buttonWithPrefix,
  click,
  EPHEMERAL,
  interact,
  MEMBER,
  MODERATOR,
  PERMISSIONS,
  PINNER,
  REPLY_TIMEOUT_MS,
  rest,
  slash,
} from './e2e/interactions.ts';

const APPLICATION_ID = '1300000000000000301';
const TOKEN = botToken(APPLICATION_ID);
const BIRMINGHAM = 'who was arrested in birmingham';
const HOW_OLD = 'how old was he';
/** How a follow-up's answer starts (src/bot/render.ts), as members read it. */
const FOLLOWING_ON = '↪️ *Following on, about ';
const PARAGRAPH_13_START = 'A 30-year-old man in Birmingham was arrested on suspicion of preparation of terrorist acts on Sunday.';
/** Create Public Threads (1 << 35). */
const CREATE_PUBLIC_THREADS = 1n << 35n;

/** Members of the server besides those in interactions.ts, each with a conversation of their own. */
const member = (n: number, username: string): InvokerOptions => ({
  userId: `13000000000000001${String(n).padStart(2, '0')}`,
  username,
  permissions: PERMISSIONS.everyone,
});
const ALICE = member(1, 'alice');
const BOB = member(2, 'bob');
const CAROL = member(3, 'carol');
const DAVE = member(4, 'dave');
const ERIN = member(5, 'erin');
const FRANK = member(6, 'frank');

let fake: FakeDiscord;
let bot: BotProcess;
const temp = tempDir('report-bot-e2e-conversations-');

beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: APPLICATION_ID, validToken: TOKEN });
  bot = await startReadyBot(botEnv(fake, TOKEN, temp.file('bot.sqlite')));
});

afterAll(async () => {
  await bot?.stop().catch(() => undefined);
  await fake?.close();
  temp.remove();
});

/** Markdown and escapes off, to compare with the report's own words. */
const plain = (text: string | undefined) => (text ?? '').replaceAll('**', '').replaceAll('\\', '');
const sourceOf = (embed: any): string => embed?.fields?.find((field: { name: string }) => field.name === 'Source')?.value ?? '';

/** The answer's lead embed is paragraph 13, read as a follow-up (or not). */
function expectParagraph13(embed: any, followUp: boolean): void {
  expect(sourceOf(embed)).toMatch(/paragraph 13\b/);
  expect(plain(embed.description)).toContain(PARAGRAPH_13_START);
  if (followUp) {
    expect(embed.description.startsWith(FOLLOWING_ON), embed.description).toBe(true);
    // It says what it took from the conversation: the Birmingham arrest.
    expect(embed.description.split('\n')[0]).toMatch(/Birmingham/);
  } else expect(embed.description ?? '').not.toContain('Following on');
}

/**
 * A reply that is no follow-up: "how old was he" alone is declined, or answered from its own words
 * ("old" is in every report), and then not as the conversation's report would answer it.
 */
function expectNoContext(data: any): void {
  expect(allText(data)).not.toContain('Following on');
  expect(data.content ?? '').toMatch(/couldn’t find anything|answer it too/);
}

/** The message as Discord holds it now (after updates), as a client would show it. */
async function currentMessage(messageId: string, channelId = fake.ids.channelId): Promise<any> {
  const response = await rest(fake, TOKEN, 'GET', `/channels/${channelId}/messages/${messageId}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** How often each question was asked in the main bot's server (by /ask or by mention), for /insights. */
const asked = new Map<string, number>();
const counted = (question: string) => asked.set(question, (asked.get(question) ?? 0) + 1);
const askAs = (question: string, who: InvokerOptions) => (counted(question), ask(fake, question, who));
const askForMessageAs = (question: string, who: InvokerOptions) => (counted(question), askForMessage(fake, question, who));

/** A member's message that mentions the bot; resolves with the bot's reply to it. */
async function mention(content: string, who: InvokerOptions, channelId = fake.ids.channelId): Promise<RecordedRequest> {
  counted(content);
  const { id } = fake.sendMessage({ content, mentionsBot: true, authorId: who.userId, username: who.username, channelId });
  return fake.waitForRequest(
    (r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.body?.message_reference?.message_id === id,
    REPLY_TIMEOUT_MS,
  );
}

const voteLabels = (message: { components?: any[] }) => buttonLabels(message.components).filter((label) => /^(👍|👎) \d+$/.test(label));

/** The answers the tests act on again later. */
const kept: Record<string, any> = {};

describe('follow-up questions in a channel', () => {
  it('/ask: a member’s “how old was he” after “who was arrested in birmingham” is answered from paragraph 13, marked as following on', async () => {
    const first = await askAs(BIRMINGHAM, ALICE);
    expect(first.body.type).toBe(4);
    expectParagraph13(first.data.embeds[0], false);

    const second = await askAs(HOW_OLD, ALICE);
    expect(second.body.type).toBe(4);
    // Read within the conversation's report: no "other reports answer it too".
    expect(second.data.content ?? '').toBe('');
    expect((second.data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(second.data.embeds[0].author.name).toBe(`Q: ${HOW_OLD}`);
    expectParagraph13(second.data.embeds[0], true);
  });

  it('/ask: another member’s “how old was he” gets no context from the first member’s conversation', async () => {
    const { body, data } = await askAs(HOW_OLD, BOB);
    expect(body.type).toBe(4);
    expectNoContext(data);
  });

  it('a mention: the same conversation by messages that mention the bot, replies pinging nobody', async () => {
    const first = await mention(BIRMINGHAM, CAROL);
    expect(first.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expectParagraph13(first.body.embeds[0], false);

    const second = await mention(HOW_OLD, CAROL);
    expect(second.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(second.body.embeds[0].author.name).toBe(`Q: ${HOW_OLD}`);
    expectParagraph13(second.body.embeds[0], true);

    const other = await mention(HOW_OLD, DAVE);
    expectNoContext(other.body);
  });

  it('a conversation is per member and channel: /ask continues what the same member asked by mention', async () => {
    // CAROL's last answer (by mention) was paragraph 13: her /ask follows on from it.
    const { data } = await askAs(HOW_OLD, CAROL);
    expectParagraph13(data.embeds[0], true);
  });
});

describe('Ask in a thread', () => {
  it('the answer’s “Ask in a thread” button starts a public thread from the answer, named after the question', async () => {
    const { message } = await askForMessageAs(BIRMINGHAM, ERIN);
    kept.threaded = message;
    const threadButton = buttonWithPrefix(message, 'thread');
    expect(buttonLabels(message.components)).toContain('Ask in a thread');

    const { data } = await click(fake, message, threadButton, ERIN);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toContain(`<#${message.id}>`);
    const thread = fake.threads().find((candidate) => candidate.id === message.id);
    expect(thread, JSON.stringify(fake.threads())).toBeDefined();
    expect(thread).toMatchObject({ type: 11, parent_id: fake.ids.channelId, owner_id: fake.ids.botUserId, name: BIRMINGHAM });
  });

  it('another member’s mention in the thread, “how old was he”, is answered in the thread from the answer’s context', async () => {
    const threadId = kept.threaded.id;
    const reply = await mention(HOW_OLD, FRANK, threadId);
    expect(reply.path).toBe(`/channels/${threadId}/messages`);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.body.embeds[0].author.name).toBe(`Q: ${HOW_OLD}`);
    expectParagraph13(reply.body.embeds[0], true);
    expect(fake.threads().find((thread) => thread.id === threadId)?.message_count).toBeGreaterThanOrEqual(2);
  });

  it('/ask in the thread is read with the thread’s context too, by a member who never asked before', async () => {
    const { body, data, message } = await askForMessageAs(HOW_OLD, { ...MODERATOR, channelId: kept.threaded.id });
    expect(body.type).toBe(4);
    expectParagraph13(data.embeds[0], true);
    expect(message.channel_id).toBe(kept.threaded.id);
    kept.inThread = message;
  });

  it('“Ask in a thread” on an answer inside the thread says a thread cannot start there', async () => {
    const before = fake.threads().length;
    const { data } = await click(fake, kept.inThread, buttonWithPrefix(kept.inThread, 'thread'), { ...BOB, channelId: kept.threaded.id });
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/^❌ Threads can’t be started here/);
    expect(fake.threads()).toHaveLength(before);
  });

  it('a second click once the thread exists says there is already a thread, and links it', async () => {
    const before = fake.threads().length;
    const message = await currentMessage(kept.threaded.id);
    const { data } = await click(fake, message, buttonWithPrefix(message, 'thread'), BOB);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/already a thread/);
    expect(data.content).toContain(`<#${kept.threaded.id}>`);
    expect(fake.threads()).toHaveLength(before);
  });

  // On 160004 the existing thread (whose id is the answer's) is given the answer's context, unless it has one.
  it('a thread a member started by hand from an answer: after the click says “Ask there”, a question there follows on from the answer', async () => {
    const { message } = await askForMessageAs(BIRMINGHAM, DAVE);
    fake.createThread({ name: 'about the arrest', messageId: message.id, ownerId: DAVE.userId });
    const { data } = await click(fake, await currentMessage(message.id), buttonWithPrefix(message, 'thread'), DAVE);
    expect(data.content).toMatch(/already a thread.*Ask there/);
    const reply = await mention(HOW_OLD, BOB, message.id);
    expect(reply.path).toBe(`/channels/${message.id}/messages`);
    expectParagraph13(reply.body.embeds[0], true);
  });
});

describe('votes from several members', () => {
  let key: string;

  it('two 👍 show “👍 2”; the first member’s second click takes theirs back (“👍 1”)', async () => {
    const { message } = await askForMessageAs(BIRMINGHAM, ALICE);
    kept.voted = message;
    const up = buttonWithPrefix(message, 'vote');
    expect(up).toMatch(/^vote:up:westminster-attack\//);
    key = up.slice('vote:up:'.length);
    expect(voteLabels(message)).toEqual(['👍 0', '👎 0']);

    const first = await click(fake, await currentMessage(message.id), up, ALICE);
    expect(first.body.type).toBe(7); // the answer is updated in place
    expect(voteLabels(first.data)).toEqual(['👍 1', '👎 0']);

    const second = await click(fake, await currentMessage(message.id), up, BOB);
    expect(second.body.type).toBe(7);
    expect(voteLabels(second.data)).toEqual(['👍 2', '👎 0']);
    expect(voteLabels(await currentMessage(message.id))).toEqual(['👍 2', '👎 0']);
    // The answer itself is as it was: same embeds, the other buttons still there.
    expect(second.data.embeds[0].description).toBe(message.embeds[0].description);
    expect(buttonLabels(second.data.components)).toEqual(expect.arrayContaining(['Full paragraph', 'Pin', 'Ask in a thread']));

    const again = await click(fake, await currentMessage(message.id), up, ALICE);
    expect(again.body.type).toBe(7);
    expect(voteLabels(again.data)).toEqual(['👍 1', '👎 0']);
  });

  it('👎 opens the “what was wrong” form; submitting it shows “👍 1” and “👎 1” on the answer', async () => {
    const message = await currentMessage(kept.voted.id);
    const shownBefore = fake.modalsShown().length;
    const down = await click(fake, message, `vote:down:${key}`, ALICE);
    expect(down.body.type).toBe(9);
    const modals = fake.modalsShown();
    expect(modals).toHaveLength(shownBefore + 1);
    const modal = modals.at(-1)!;
    expect(modal.interactionId).toBe(down.id);
    expect(modal.data.custom_id).toBe(`why:${key}`);
    const inputs = modal.data.components.map((label: any) => label.component);
    expect(inputs.map((input: any) => input.custom_id)).toEqual(['reason', 'comment']);
    expect(inputs[0].options.map((option: any) => option.value)).toEqual(['wrong-passage', 'not-in-report', 'other']);
    // The form is not an update: the message keeps its counts until it is sent.
    expect(voteLabels(await currentMessage(message.id))).toEqual(['👍 1', '👎 0']);

    const submitted = await interact(fake, () =>
      fake.sendModalSubmit({
        customId: modal.data.custom_id,
        fields: { reason: ['wrong-passage'], comment: 'quotes the wrong man' },
        message: { id: message.id, content: message.content, embeds: message.embeds, components: message.components },
        ...ALICE,
      }),
    );
    expect(submitted.body.type).toBe(7);
    expect(voteLabels(submitted.data)).toEqual(['👍 1', '👎 1']);
    expect(voteLabels(await currentMessage(message.id))).toEqual(['👍 1', '👎 1']);
  });
});

describe('/insights for moderators', () => {
  const OFF_TOPIC = 'what is the capital of france';

  it('after all that: the asked questions, the declined one, the voted-down answer with its 👎 and reason, and the pin', async () => {
    // A moderator pins the voted answer; a member asks something the reports do not cover.
    const voted = await currentMessage(kept.voted.id);
    const pinned = await click(fake, voted, buttonWithPrefix(voted, 'pin'), MODERATOR);
    expect(pinned.data.content).toMatch(/Pinned/);
    const declined = await askAs(OFF_TOPIC, MEMBER);
    expect(declined.data.content).toMatch(/couldn’t find anything/);

    const { body, data } = await slash(fake, 'insights', {}, MODERATOR);
    expect(body.type).toBe(4);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const section = (title: RegExp): string => {
      const embed = data.embeds.find((candidate: { title?: string }) => title.test(candidate.title ?? ''));
      expect(embed, `no section ${title} in ${JSON.stringify(data.embeds.map((e: any) => e.title))}`).toBeDefined();
      return embed.description as string;
    };

    // The default period is the last 7 days; most asked first.
    const mostAsked = section(/^Most asked, the last 7 days$/);
    expect(mostAsked).toContain(`“${HOW_OLD}” ×${asked.get(HOW_OLD)}`);
    expect(mostAsked).toContain(`“${BIRMINGHAM}” ×${asked.get(BIRMINGHAM)}`);
    expect(mostAsked).toContain(`“${OFF_TOPIC}” ×1 (declined 1)`);
    expect(asked.get(HOW_OLD)!).toBeGreaterThan(asked.get(BIRMINGHAM)!);
    expect(mostAsked.indexOf(HOW_OLD)).toBeLessThan(mostAsked.indexOf(BIRMINGHAM));

    expect(section(/could not answer/)).toContain(`“${OFF_TOPIC}” ×1`);

    const link = `https://discord.com/channels/${fake.ids.guildId}/${fake.ids.channelId}/${kept.voted.id}`;
    const unhelpful = section(/voted unhelpful/);
    expect(unhelpful).toContain(`“${BIRMINGHAM}”`);
    expect(unhelpful).toMatch(/paragraph 13 · 👍 1 👎 1 · wrong passage ×1/);
    expect(unhelpful).toContain(`(${link})`);
    expect(unhelpful).toContain('quotes the wrong man');

    const pins = section(/^Pins made/);
    expect(pins).toContain(`“${BIRMINGHAM}”`);
    expect(pins).toMatch(/paragraph 13 · 👍 1 👎 1/);
    expect(pins).toContain(`(${link})`);
  });

  it('a member with only Pin Messages may see them too, for a period they choose', async () => {
    const { data } = await slash(fake, 'insights', { period: 'all' }, PINNER);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.embeds.map((embed: { title: string }) => embed.title)).toContain('Most asked, all time');
    expect(allText(data)).toContain('quotes the wrong man');
  });

  it('a member without those permissions is refused, and shown nothing', async () => {
    const { data } = await slash(fake, 'insights', {}, MEMBER);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/^❌ Only moderators/);
    expect(data.embeds ?? []).toEqual([]);
    expect(allText(data)).not.toContain(BIRMINGHAM);
  });
});

describe('what the bot sent', () => {
  it('no request the bot sent lets anything ping: every allowed_mentions parses nothing', () => {
    const withMentions = fake.requests.flatMap((r) => {
      const found = [r.body?.allowed_mentions, r.body?.data?.allowed_mentions].filter((value) => value !== undefined);
      return found.map((allowed) => ({ request: `${r.method} ${r.path}`, allowed }));
    });
    expect(withMentions.length).toBeGreaterThan(10);
    for (const { request, allowed } of withMentions) {
      expect(allowed.parse, request).toEqual([]);
      expect(allowed.users ?? [], request).toEqual([]);
      expect(allowed.roles ?? [], request).toEqual([]);
    }
    // And every message the bot wrote (answers, updates, replies to mentions) said so.
    const messages = fake.requests.filter(
      (r) =>
        (r.path.endsWith('/callback') && [4, 7].includes(r.body?.type)) ||
        (r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)),
    );
    for (const r of messages) expect(r.body?.data?.allowed_mentions ?? r.body?.allowed_mentions, `${r.method} ${r.path}`).toBeDefined();
  });
});

describe('a bot without Create Public Threads', () => {
  let deniedFake: FakeDiscord;
  let deniedBot: BotProcess;
  const deniedToken = botToken('1300000000000000302');

  beforeAll(async () => {
    deniedFake = await startFakeDiscord({
      applicationId: '1300000000000000302',
      validToken: deniedToken,
      denyBotPermissions: CREATE_PUBLIC_THREADS,
    });
    deniedBot = await startReadyBot(botEnv(deniedFake, deniedToken, temp.file('denied.sqlite')));
  });

  afterAll(async () => {
    await deniedBot?.stop().catch(() => undefined);
    await deniedFake?.close();
  });

  it('a click on “Ask in a thread” gets an ephemeral message naming the permission, and no thread starts', async () => {
    const { message } = await askForMessage(deniedFake, BIRMINGHAM, ALICE);
    const { data } = await click(deniedFake, message, buttonWithPrefix(message, 'thread'), ALICE);
    expect(data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(data.content).toMatch(/Create Public Threads/);
    expect(data.content).toMatch(/permission/);
    expect(deniedFake.threads()).toEqual([]);
    const attempts = deniedFake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/messages/${message.id}/threads`));
    expect(attempts).toHaveLength(1);
  });

  it('stops with exit 0, nothing crashed', async () => {
    const exit = await deniedBot.stop();
    expect(exit, deniedBot.log()).toEqual({ code: 0, signal: null });
    expect(deniedBot.lines.filter((line) => CRASH_LINE.test(line))).toEqual([]);
  });
});

describe('the main bot at the end', () => {
  it('stops with exit 0, nothing crashed', async () => {
    const exit = await bot.stop();
    expect(exit, bot.log()).toEqual({ code: 0, signal: null });
    expect(bot.lines.filter((line) => CRASH_LINE.test(line))).toEqual([]);
  });
});
