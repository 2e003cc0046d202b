/**
 * The HTTP interactions endpoint (src/adapters/http.ts) over real HTTP on 127.0.0.1, with the real
 * report, a real in-memory SQLite store, and requests signed the way Discord signs them.
 * Deferred replies go to tests/fake-discord. Nothing here reaches the network, and nothing
 * waits a fixed time: every step waits for the response or request it expects.
 */
import { StoredConversations } from '../src/bot/conversations.ts';
import { storeWith } from './fixtures/store.ts';
import { connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpInteractions, PINS_NEED_TOKEN, type HttpInteractionsOptions } from '../src/adapters/http.ts';
import { SOMETHING_WENT_WRONG, UNKNOWN_COMMAND } from '../src/bot/dispatch.ts';
import type { Config } from '../src/config.ts';
import { ReportLibrary } from '../src/core/answer/library.ts';
import type { Knowledge } from '../src/core/knowledge/types.ts';
import { loadKnowledge } from '../src/core/knowledge/load.ts';
import { createLogger } from '../src/logger.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from './fake-discord/fake-discord.ts';
import {
  ask,
  autocomplete,
  buttonClick,
  buttonIdsOf,
  httpRequest,
  IDS,
  makeKeyPair,
  messageContextMenu,
  messageJson,
  nowSeconds,
  PERMISSIONS,
  postInteraction,
  signatureHeaders,
  slashCommand,
  type KeyPair,
  httpTestConfig,
} from './http/helpers.ts';

const EPHEMERAL = 64;
let knowledge: Knowledge;
let library: ReportLibrary;
const westminsterReport = () => knowledge.reports.find((report) => report.meta.id === 'westminster-attack')!;
let paragraph13: string;

beforeAll(() => {
  knowledge = loadKnowledge();
  library = new ReportLibrary(knowledge);
  paragraph13 = westminsterReport().paragraphs.find((paragraph) => paragraph.number === 13)!.text;
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

interface Endpoint {
  port: number;
  keys: KeyPair;
  /** Every log line, in order. */
  lines: string[];
  store: BotStore;
}

/** A promise the test opens when it is ready: handlers awaiting it are "slow" for exactly as long as needed. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

async function startEndpoint(
  setup: { config?: Partial<Config>; options?: HttpInteractionsOptions; store?: (real: BotStore) => BotStore } = {},
): Promise<Endpoint> {
  const keys = makeKeyPair();
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  const real = openSqliteStore(':memory:');
  const config = httpTestConfig(keys, setup.config);
  const store = setup.store ? setup.store(real) : real;
  const server = await startHttpInteractions(
    config,
    { library, store, conversations: new StoredConversations(store), logger },
    {
      host: '127.0.0.1',
      rest: { retries: 0, timeout: 3000 },
      ...setup.options,
    },
  );
  cleanups.push(async () => {
    await server.stop();
    await real.close();
  });
  expect(server.port).toBeGreaterThan(0);
  return { port: server.port, keys, lines, store: real };
}

async function startFake(): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ applicationId: IDS.applicationId, guildId: IDS.guildId, channelId: IDS.channelId });
  cleanups.push(() => fake.close());
  return fake;
}

/** The interaction webhooks answer like Discord; the fake only knows interactions it sent over its gateway. */
function acceptWebhooks(fake: FakeDiscord): void {
  fake.intercept((r) => {
    if (!r.path.startsWith(`/webhooks/${IDS.applicationId}/`)) return undefined;
    if (r.method === 'DELETE') return { status: 204 };
    return { status: 200, body: messageJson({ ...r.body, authorId: IDS.applicationId }) };
  });
}

const requestLines = (lines: string[]) => lines.filter((line) => / (DEBUG|INFO|WARN|ERROR) +http request/.test(line));
const strip = (markdown: string) => markdown.replaceAll('**', '').replace(/\\(.)/g, '$1');

describe('HTTP interactions: answering', () => {
  it('answers PING with PONG, as JSON', async () => {
    const { port, keys, lines } = await startEndpoint();
    const response = await postInteraction(port, keys, { id: '1', application_id: IDS.applicationId, type: 1, token: 'x', version: 1 });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ type: 1 });
    expect(requestLines(lines)).toHaveLength(1);
    expect(requestLines(lines)[0]).toMatch(/kind=ping .*status=200/);
  });

  it('answers /ask with the passage and who said it, pinging nobody', async () => {
    const { port, keys, lines } = await startEndpoint();
    const interaction = ask('who was arrested in birmingham');
    const response = await postInteraction(port, keys, interaction);
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body.type).toBe(4);
    expect(body.data.flags).toBeUndefined();
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.data.embeds;
    expect(embed.description).toContain('Birmingham');
    expect(strip(embed.description)).toContain(paragraph13);
    expect(embed.footer.text).toContain('Asked by Tester');
    expect(buttonIdsOf(body.data)).toContain('para:westminster-attack:13');

    // One line for the request: what, where, status, time. Never the token or the question.
    const [line, ...more] = requestLines(lines);
    expect(more).toEqual([]);
    expect(line).toMatch(new RegExp(`kind=command name=ask guild=${IDS.guildId} .*status=200 ms=[\\d.]+`));
    expect(lines.join('\n')).not.toContain(interaction.token);
    expect(lines.join('\n')).not.toContain('birmingham');
  });

  it('lets no question ping: @everyone in the question is echoed inert and mentions are off', async () => {
    const { port, keys } = await startEndpoint();
    for (const question of ['@everyone what is the capital of france', '@here <@1300000000000000004> who was arrested in birmingham']) {
      const body = (await postInteraction(port, keys, ask(question))).json();
      expect(body.type).toBe(4);
      expect(body.data.allowed_mentions).toEqual({ parse: [] });
      // Only content can ping; it never carries a live mention.
      expect(body.data.content).not.toMatch(/@(everyone|here)|<@\d+>/);
    }
    const declined = (await postInteraction(port, keys, ask('@everyone what is the capital of france'))).json();
    expect(declined.data.content).toContain('@\u200beveryone');
  });

  it('/report use (a subcommand, as Discord nests it) sets the channel’s report for the next request', async () => {
    const { port, keys } = await startEndpoint();
    const managerPermissions = (1n << 5n) | (1n << 11n);
    const use = slashCommand('report', [{ name: 'use', type: 1, options: [{ name: 'report', type: 3, value: 'westminster-attack' }] }], {
      permissions: managerPermissions,
    });
    const set = (await postInteraction(port, keys, use)).json();
    expect(set.data.content).toMatch(/^Questions in this channel now go to \*London Attacker/);
    const source = (await postInteraction(port, keys, slashCommand('source', [{ name: 'paragraph', type: 4, value: 13 }]))).json();
    expect(source.data.embeds[0].title).toBe('Paragraph 13 of 14');
    const clear = (
      await postInteraction(port, keys, slashCommand('report', [{ name: 'clear', type: 1 }], { permissions: managerPermissions }))
    ).json();
    expect(clear.data.content).toBe('This channel has no default report now.');
  });

  it('answers /arrests with every arrest in the report', async () => {
    const { port, keys } = await startEndpoint();
    const body = (
      await postInteraction(port, keys, slashCommand('arrests', [{ name: 'report', type: 3, value: 'westminster-attack' }]))
    ).json();
    expect(body.type).toBe(4);
    const arrests = westminsterReport().facts.arrests;
    expect(body.data.embeds[0].title).toBe(`Arrests and detentions (${arrests.length})`);
    expect(body.data.embeds[0].fields).toHaveLength(Math.min(arrests.length, 25));
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('offers at most 25 autocomplete choices for a partial question', async () => {
    const { port, keys } = await startEndpoint();
    const body = (await postInteraction(port, keys, autocomplete('ask', 'question', 'who was'))).json();
    expect(body.type).toBe(8);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    for (const choice of body.data.choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(typeof choice.value).toBe('string');
    }
    const arrest = (await postInteraction(port, keys, autocomplete('ask', 'question', 'arr'))).json();
    expect(arrest.data.choices.map((choice: { name: string }) => choice.name)).toContain('Who was arrested?');
  });

  it('answers an unknown command with the dispatcher’s ephemeral “Unknown command”', async () => {
    const { port, keys, lines } = await startEndpoint();
    const body = (await postInteraction(port, keys, slashCommand('frobnicate'))).json();
    expect(body).toMatchObject({ type: 4, data: { content: `❌ ${UNKNOWN_COMMAND}`, flags: EPHEMERAL, allowed_mentions: { parse: [] } } });
    expect(lines.some((line) => line.includes('unknown command') && line.includes('frobnicate'))).toBe(true);
  });

  it('answers in a DM: no guild, no member permissions, no Pin button', async () => {
    const { port, keys } = await startEndpoint();
    const body = (await postInteraction(port, keys, ask('who was arrested in birmingham', { guild: false }))).json();
    expect(body.type).toBe(4);
    expect(body.data.embeds[0].description).toContain('Birmingham');
    expect(buttonIdsOf(body.data).some((id) => id.startsWith('pin:'))).toBe(false);
  });

  it('keeps /ask private when asked to', async () => {
    const { port, keys } = await startEndpoint();
    const body = (
      await postInteraction(port, keys, ask('who was arrested in birmingham', {}, [{ name: 'private', type: 5, value: true }]))
    ).json();
    expect(body.data.flags).toBe(EPHEMERAL);
  });
});

describe('HTTP interactions: buttons', () => {
  /** Asks, and returns the answer as the message its buttons sit on. */
  async function answered(endpoint: Endpoint, question: string) {
    const body = (await postInteraction(endpoint.port, endpoint.keys, ask(question))).json();
    expect(body.type).toBe(4);
    return {
      data: body.data,
      message: messageJson({ content: body.data.content, embeds: body.data.embeds, components: body.data.components }),
    };
  }

  it('“Full paragraph” shows paragraph 13 in full, to the one who clicked', async () => {
    const endpoint = await startEndpoint();
    const { message } = await answered(endpoint, 'who was arrested in birmingham');
    const body = (await postInteraction(endpoint.port, endpoint.keys, buttonClick('para:westminster-attack:13', message))).json();
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toMatch(/^Paragraph 13 of \d+$/);
    expect(strip(body.data.embeds[0].description)).toContain(paragraph13);
  });

  it('“Other passages” shows the other hits of the answer', async () => {
    const endpoint = await startEndpoint();
    const { data, message } = await answered(endpoint, 'who was arrested in birmingham');
    const more = buttonIdsOf(data).find((id) => id.startsWith('more:'));
    expect(more).toBeDefined();
    const body = (await postInteraction(endpoint.port, endpoint.keys, buttonClick(more!, message))).json();
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds.length).toBeGreaterThan(0);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('a question the report does not cover gets suggestion buttons, and a suggestion answers', async () => {
    const endpoint = await startEndpoint();
    const { data, message } = await answered(endpoint, 'what is the capital of france');
    expect(data.content).toContain('couldn’t find anything');
    const suggestions = buttonIdsOf(data).filter((id) => id.startsWith('ask:'));
    expect(suggestions.length).toBeGreaterThan(0);
    const body = (await postInteraction(endpoint.port, endpoint.keys, buttonClick(suggestions[0]!, message))).json();
    expect(body.type).toBe(4);
    expect(body.data.embeds.length).toBeGreaterThan(0);
    expect(body.data.embeds[0].author.name).toBe(`Q: ${suggestions[0]!.slice('ask:'.length)}`);
  });

  it('“Pin” without DISCORD_TOKEN: an ephemeral error for the user, the reason in the log', async () => {
    const endpoint = await startEndpoint();
    const { message } = await answered(endpoint, 'who was arrested in birmingham');
    const pin = buttonIdsOf(message).find((id) => id.startsWith('pin:'))!;
    const body = (
      await postInteraction(endpoint.port, endpoint.keys, buttonClick(pin, message, { permissions: PERMISSIONS.moderator }))
    ).json();
    // The user is told what the operator must do, not "something went wrong".
    expect(body).toMatchObject({ type: 4, data: { content: `❌ ${PINS_NEED_TOKEN}`, flags: EPHEMERAL } });
    expect(body.data.content).not.toBe(`❌ ${SOMETHING_WENT_WRONG}`);
    expect(endpoint.lines.some((line) => line.includes('handler refused') && line.includes('DISCORD_TOKEN'))).toBe(true);
  });

  it('“Pin” and the “Pin answer” menu with DISCORD_TOKEN pin through REST as the bot', async () => {
    const fake = await startFake();
    const endpoint = await startEndpoint({ config: { apiUrl: fake.apiUrl, discordToken: 'test-token' } });
    const first = await answered(endpoint, 'who was arrested in birmingham');
    const pin = buttonIdsOf(first.message).find((id) => id.startsWith('pin:'))!;
    const body = (
      await postInteraction(endpoint.port, endpoint.keys, buttonClick(pin, first.message, { permissions: PERMISSIONS.moderator }))
    ).json();
    expect(body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(body.data.content).toMatch(/^📌 Pinned/);
    const put = await fake.waitForRequest(
      (r) => r.method === 'PUT' && r.path === `/channels/${IDS.channelId}/messages/pins/${first.message.id}`,
    );
    expect(put.headers.authorization).toBe('Bot test-token');
    expect(await endpoint.store.listPins(IDS.guildId)).toHaveLength(1);

    const second = await answered(endpoint, 'who was the attacker');
    expect(buttonIdsOf(second.message).some((id) => id.startsWith('pin:'))).toBe(true);
    const menu = (
      await postInteraction(
        endpoint.port,
        endpoint.keys,
        messageContextMenu('Pin answer', second.message, { permissions: PERMISSIONS.moderator }),
      )
    ).json();
    expect(menu.data.content).toMatch(/^📌 Pinned/);
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/channels/${IDS.channelId}/messages/pins/${second.message.id}`);

    // Members without the permission are refused before anything reaches Discord.
    const third = await answered(endpoint, 'who was arrested in birmingham');
    const refused = (
      await postInteraction(
        endpoint.port,
        endpoint.keys,
        buttonClick(
          buttonIdsOf(third.message).find((id) => id.startsWith('pin:'))!,
          third.message,
        ),
      )
    ).json();
    expect(refused.data.content).toMatch(/^❌ Only moderators/);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });
});

describe('HTTP interactions: replays, malformed payloads and noisy clients', () => {
  it('handles an interaction id once: the same signed request replayed gets 409 and no handler runs', async () => {
    const { port, keys } = await startEndpoint();
    const body = JSON.stringify(ask('whats the capital of france'));
    const headers = signatureHeaders(keys, body);
    expect((await postInteraction(port, keys, body, headers)).status).toBe(200);
    const spy = vi.spyOn(library, 'ask');
    for (let replay = 0; replay < 2; replay++) {
      const again = await postInteraction(port, keys, body, headers);
      expect(again.status).toBe(409);
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('options nested 20,000 deep, components that are not lists, and embeds that are not objects are 400s or read safely, never 500s', async () => {
    const { port, keys } = await startEndpoint();
    // Written out by hand: JSON.stringify itself cannot go 20,000 deep.
    const nested = `${'{"name":"g","type":2,"options":['.repeat(20_000)}{"name":"question","type":3,"value":"x"}${']}'.repeat(20_000)}`;
    const deep = JSON.stringify(slashCommand('ask', [])).replace('"options":[]', `"options":[${nested}]`);
    const deepResponse = await postInteraction(port, keys, deep);
    expect(deepResponse.status).toBe(400);
    expect(deepResponse.text).toMatch(/options nested too deep/);

    const message = {
      ...messageJson({ content: 'x' }),
      components: [{ type: 1, components: 'not a list' }, 7, { type: 1, components: [{ type: 2, custom_id: 42 }] }],
      embeds: ['text', null],
    };
    const click = await postInteraction(port, keys, buttonClick('para:westminster-attack:13', message as never));
    expect(click.status).toBe(200);
    expect(click.json().data.embeds[0].title).toBe('Paragraph 13 of 14');
  });

  it('a client that hangs up mid-body is logged at debug, without a stack; rejected requests are logged a few times a minute per address', async () => {
    const { port, keys, lines } = await startEndpoint();
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      lines.some((line) => /DEBUG +http client hung up before its body ended/.test(line)),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.some((line) => /ERROR/.test(line))).toBe(false);

    for (let attempt = 0; attempt < 25; attempt++)
      await postInteraction(port, keys, ask('x'), { 'x-signature-ed25519': '00', 'x-signature-timestamp': nowSeconds() });
    const rejected = lines.filter((line) => /WARN +http request(s)? rejected/.test(line));
    expect(rejected).toHaveLength(11);
    expect(rejected.at(-1)).toMatch(/more from this address this minute are not logged address=127\.0\.0\.1/);
  });
});

describe('HTTP interactions: signatures and bad requests', () => {
  it('refuses every bad signature with 401, and no handler runs', async () => {
    const { port, keys, lines } = await startEndpoint();
    const other = makeKeyPair();
    const spy = vi.spyOn(library, 'ask');
    const body = JSON.stringify(ask('who was arrested in birmingham'));
    const good = signatureHeaders(keys, body);
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    const future = String(Math.floor(Date.now() / 1000) + 3600);
    const cases: Array<[string, Record<string, string>, string?]> = [
      ['no headers', {}],
      ['no signature', { 'x-signature-timestamp': good['x-signature-timestamp']! }],
      ['no timestamp', { 'x-signature-ed25519': good['x-signature-ed25519']! }],
      ['non-hex signature', { ...good, 'x-signature-ed25519': 'zz'.repeat(64) }],
      ['signature too short', { ...good, 'x-signature-ed25519': good['x-signature-ed25519']!.slice(0, 64) }],
      ['signature too long', { ...good, 'x-signature-ed25519': `${good['x-signature-ed25519']}00` }],
      ['empty signature', { ...good, 'x-signature-ed25519': '' }],
      ['signed by another key', signatureHeaders(other, body)],
      ['body altered after signing', good, body.replace('birmingham', 'london')],
      ['timestamp altered after signing', { ...good, 'x-signature-timestamp': String(Number(good['x-signature-timestamp']) - 1) }],
      ['stale timestamp', signatureHeaders(keys, body, stale)],
      ['timestamp far in the future', signatureHeaders(keys, body, future)],
      ['non-numeric timestamp', signatureHeaders(keys, body, 'yesterday')],
    ];
    for (const [name, headers, sent] of cases) {
      const response = await httpRequest(port, '/interactions', { method: 'POST', body: sent ?? body, headers });
      expect(response.status, name).toBe(401);
    }
    expect(spy).not.toHaveBeenCalled();
    expect(lines.some((line) => / handled |unknown command/.test(line))).toBe(false);
    // Ten lines a minute per address, then one saying the rest are not logged.
    expect(requestLines(lines).filter((line) => line.includes('status=401'))).toHaveLength(Math.min(cases.length, 10));
    // The same body, correctly signed, does run.
    expect((await httpRequest(port, '/interactions', { method: 'POST', body, headers: signatureHeaders(keys, body) })).status).toBe(200);
    expect(spy).toHaveBeenCalled();
  });

  it('answers 400 to correctly signed malformed JSON, or JSON that is not an interaction', async () => {
    const { port, keys } = await startEndpoint();
    for (const body of [
      '{"type": 2,',
      'not json',
      '',
      '[]',
      '{"type": 2}',
      '{"type": 3, "token": "t", "application_id": "1", "member": {"user": {"id": "1"}}, "data": {"custom_id": "para:x:1"}}',
    ]) {
      const response = await httpRequest(port, '/interactions', { method: 'POST', body, headers: signatureHeaders(keys, body) });
      expect(response.status, body).toBe(400);
    }
  });

  it('answers 413 to a body over 1 MB, declared or streamed, without reading it all', async () => {
    const { port, keys, lines } = await startEndpoint();
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const declared = await httpRequest(port, '/interactions', { method: 'POST', body: big, headers: signatureHeaders(keys, big) });
    expect(declared.status).toBe(413);
    const streamed = await httpRequest(port, '/interactions', {
      method: 'POST',
      chunks: Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 0x20)),
      headers: signatureHeaders(keys, big),
    });
    expect(streamed.status).toBe(413);
    expect(requestLines(lines).filter((line) => line.includes('status=413'))).toHaveLength(2);
    // The endpoint is still serving.
    expect((await postInteraction(port, keys, { type: 1 })).json()).toEqual({ type: 1 });
  });

  it('serves /healthz, 404 elsewhere, 405 for other methods', async () => {
    const { port } = await startEndpoint();
    const health = await httpRequest(port, '/healthz');
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(health.json()).toEqual({
      ok: true,
      store: { ok: true, kind: 'sqlite' },
      reports: knowledge.reports.length,
      paragraphs: library.paragraphCount,
    });
    expect((await httpRequest(port, '/healthz?probe=1')).status).toBe(200);
    expect((await httpRequest(port, '/nope')).status).toBe(404);
    expect((await httpRequest(port, '/')).status).toBe(404);
    const get = await httpRequest(port, '/interactions');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await httpRequest(port, '/interactions', { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await httpRequest(port, '/healthz', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('/healthz is 503 with the store’s problem when the store cannot be reached', async () => {
    const { port } = await startEndpoint({
      store: (real) =>
        storeWith(real, { health: async () => ({ ok: false, kind: 'postgres', problem: 'connect ECONNREFUSED 127.0.0.1:5432' }) }),
    });
    const health = await httpRequest(port, '/healthz');
    expect(health.status).toBe(503);
    expect(health.json()).toMatchObject({
      ok: false,
      store: { ok: false, kind: 'postgres', problem: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
  });

  it('turns a handler that throws into the dispatcher’s ephemeral error, and keeps serving', async () => {
    const { port, keys, lines } = await startEndpoint({
      store: (real) => storeWith(real, { listPins: () => Promise.reject(new Error('disk on fire')) }),
    });
    const body = (await postInteraction(port, keys, ask('who was arrested in birmingham'))).json();
    expect(body).toMatchObject({ type: 4, data: { content: `❌ ${SOMETHING_WENT_WRONG}`, flags: EPHEMERAL } });
    expect(lines.some((line) => line.includes('handler failed') && line.includes('disk on fire'))).toBe(true);
    expect((await postInteraction(port, keys, slashCommand('arrests'))).json().type).toBe(4);
  });

  it('stops: the port is closed afterwards, and stopping twice is harmless', async () => {
    const keys = makeKeyPair();
    const store = openSqliteStore(':memory:');
    cleanups.push(() => store.close());
    const config = httpTestConfig(keys, { logLevel: 'info' });
    const server = await startHttpInteractions(
      config,
      { library, store, conversations: new StoredConversations(store), logger: createLogger('error', () => undefined) },
      { host: '127.0.0.1' },
    );
    expect((await postInteraction(server.port, keys, { type: 1 })).status).toBe(200);
    await server.stop();
    await server.stop();
    await expect(httpRequest(server.port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('answers 500 when the endpoint itself throws, logs it, and keeps serving', async () => {
    const { port, keys, lines } = await startEndpoint();
    vi.spyOn(library, 'paragraphCount', 'get').mockImplementation(() => {
      throw new Error('index gone');
    });
    expect((await httpRequest(port, '/healthz')).status).toBe(500);
    expect(lines.some((line) => / ERROR +http request failed /.test(line) && line.includes('index gone'))).toBe(true);
    vi.restoreAllMocks();
    expect((await postInteraction(port, keys, { type: 1 })).json()).toEqual({ type: 1 });
  });

  it('refuses to start without a public key', async () => {
    await expect(startEndpoint({ config: { publicKey: undefined } })).rejects.toThrow(/DISCORD_PUBLIC_KEY/);
  });
});

describe('HTTP interactions: slow handlers are deferred', () => {
  const webhook = (token: string, suffix = '') => `/webhooks/${IDS.applicationId}/${token}${suffix}`;

  async function slowEndpoint(fake: FakeDiscord) {
    const slow = gate();
    const endpoint = await startEndpoint({
      config: { apiUrl: fake.apiUrl },
      options: { deferAfterMs: 25 },
      store: (real) => storeWith(real, { listPins: async (guildId) => (await slow.wait, real.listPins(guildId)) }),
    });
    return { ...endpoint, open: slow.open };
  }

  it('answers type 5 at once, then edits @original through the interaction webhook', async () => {
    const fake = await startFake();
    acceptWebhooks(fake);
    const endpoint = await slowEndpoint(fake);
    const interaction = ask('who was arrested in birmingham');
    const response = await postInteraction(endpoint.port, endpoint.keys, interaction);
    expect(response.status).toBe(200);
    // /ask without `private` is public, so the loading message is too.
    expect(response.json()).toEqual({ type: 5, data: {} });
    expect(fake.requests).toHaveLength(0);

    endpoint.open();
    const edit = await fake.waitForRequest((r: RecordedRequest) => r.method === 'PATCH');
    expect(edit.path).toBe(webhook(interaction.token, '/messages/@original'));
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.body.embeds[0].description).toContain('Birmingham');
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.body.flags).toBeUndefined();
    await vi.waitFor(() =>
      expect(endpoint.lines.some((line) => line.includes('deferred reply sent') && line.includes('how="edited original"'))).toBe(true),
    );
    expect(requestLines(endpoint.lines)[0]).toMatch(/kind=command name=ask guild=\d+ status=200 ms=[\d.]+ deferred=true/);
    expect(endpoint.lines.join('\n')).not.toContain(interaction.token);
  });

  it('replaces a public loading message when the late reply is ephemeral', async () => {
    const fake = await startFake();
    acceptWebhooks(fake);
    const endpoint = await slowEndpoint(fake);
    const interaction = slashCommand('pins');
    expect((await postInteraction(endpoint.port, endpoint.keys, interaction)).json()).toEqual({ type: 5, data: {} });
    endpoint.open();
    const followUp = await fake.waitForRequest((r) => r.method === 'POST' && r.path === webhook(interaction.token));
    expect(followUp.body).toMatchObject({
      content: expect.stringMatching(/^No answers are pinned yet/),
      flags: EPHEMERAL,
      allowed_mentions: { parse: [] },
    });
    const methods = fake.requests.filter((r) => r.path.startsWith('/webhooks/')).map((r) => r.method);
    expect(methods).toEqual(['DELETE', 'POST']);
  });

  it('defers a moderator command as ephemeral', async () => {
    const fake = await startFake();
    acceptWebhooks(fake);
    const slow = gate();
    const endpoint = await startEndpoint({
      config: { apiUrl: fake.apiUrl },
      options: { deferAfterMs: 25 },
      store: (real) =>
        storeWith(real, { listUnanswered: async (guildId, limit) => (await slow.wait, real.listUnanswered(guildId, limit)) }),
    });
    const interaction = slashCommand('unanswered', undefined, { permissions: PERMISSIONS.moderator });
    expect((await postInteraction(endpoint.port, endpoint.keys, interaction)).json()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    slow.open();
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH');
    expect(edit.path).toBe(webhook(interaction.token, '/messages/@original'));
    expect(edit.body.content).toMatch(/found an answer/);
  });

  it('defers a button with type 6, then sends the answer as a follow-up', async () => {
    const fake = await startFake();
    acceptWebhooks(fake);
    const endpoint = await slowEndpoint(fake);
    const click = buttonClick('ask:Who was arrested?', messageJson({ content: 'I couldn’t find anything…' }));
    expect((await postInteraction(endpoint.port, endpoint.keys, click)).json()).toEqual({ type: 6 });
    endpoint.open();
    const followUp = await fake.waitForRequest((r) => r.method === 'POST' && r.path === webhook(click.token));
    expect(followUp.body.embeds[0].author.name).toBe('Q: Who was arrested?');
    expect(followUp.body.flags).toBeUndefined();
  });

  it('logs a failed deferred reply without the token, and keeps serving', async () => {
    const fake = await startFake();
    fake.intercept((r) =>
      r.path.startsWith('/webhooks/') ? { status: 404, body: { message: 'Unknown Webhook', code: 10015 } } : undefined,
    );
    const endpoint = await slowEndpoint(fake);
    const interaction = ask('who was arrested in birmingham');
    expect((await postInteraction(endpoint.port, endpoint.keys, interaction)).json().type).toBe(5);
    endpoint.open();
    await fake.waitForRequest((r) => r.method === 'PATCH');
    await vi.waitFor(() =>
      expect(endpoint.lines.some((line) => line.includes('deferred reply failed') && line.includes('status=404'))).toBe(true),
    );
    expect(endpoint.lines.join('\n')).not.toContain(interaction.token);
    expect((await postInteraction(endpoint.port, endpoint.keys, slashCommand('arrests'))).json().type).toBe(4);
  });

  it('answers autocomplete with no choices rather than late', async () => {
    const slow = gate();
    const endpoint = await startEndpoint({
      options: { deferAfterMs: 25 },
      store: (real) => storeWith(real, { listPins: async (guildId) => (await slow.wait, real.listPins(guildId)) }),
    });
    // Nothing typed: the pinned questions are read first, and that read is slow.
    const body = (await postInteraction(endpoint.port, endpoint.keys, autocomplete('ask', 'question', ''))).json();
    expect(body).toEqual({ type: 8, data: { choices: [] } });
    slow.open();
  });
});

describe('HTTP interactions: the signature window', () => {
  it('accepts a timestamp just inside the window and refuses one just outside it', async () => {
    const now = Date.now();
    const { port, keys } = await startEndpoint({ options: { now: () => now } });
    const seconds = Math.floor(now / 1000);
    const body = JSON.stringify({ type: 1 });
    expect(
      (await httpRequest(port, '/interactions', { method: 'POST', body, headers: signatureHeaders(keys, body, String(seconds - 299)) }))
        .status,
    ).toBe(200);
    expect(
      (await httpRequest(port, '/interactions', { method: 'POST', body, headers: signatureHeaders(keys, body, String(seconds - 301)) }))
        .status,
    ).toBe(401);
    expect(nowSeconds()).toMatch(/^\d+$/);
  });
});
