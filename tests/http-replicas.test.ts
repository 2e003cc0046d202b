/**
 * HTTP interactions past one process, through the real `src/main.ts`: worker processes sharing a
 * port and a SQLite file (WORKERS), and replicas on one PostgreSQL database started by the test,
 * handling the same click at once and living through a restart of the database server.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres-store.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import { botEnv, botToken, CRASH_LINE, startBotProcess, tempDir, type BotProcess } from './e2e/bot-process.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/fake-discord.ts';
import { freePort } from './fixtures/ports.ts';
import {
  ask,
  buttonClick,
  buttonIdsOf,
  httpRequest,
  IDS,
  makeKeyPair,
  messageJson,
  PERMISSIONS,
  postInteraction,
  type KeyPair,
} from './http/helpers.ts';
import { POSTGRES_MISSING, POSTGRES_REQUIRED, startPostgres, type PostgresServer } from './store/postgres-server.ts';

const keys: KeyPair = makeKeyPair();
const TOKEN = botToken(IDS.applicationId);
let fake: FakeDiscord;
const running: BotProcess[] = [];
const folder = tempDir('report-bot-replicas-');

beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: IDS.applicationId, guildId: IDS.guildId, channelId: IDS.channelId, validToken: TOKEN });
  // The interaction webhooks (a deferred reply's follow-up) answer like Discord's.
  fake.intercept((r) =>
    r.path.startsWith(`/webhooks/${IDS.applicationId}/`) ? { status: 200, body: messageJson({ ...(r.body as object) }) } : undefined,
  );
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.stop().catch(() => undefined)));
});
afterAll(async () => {
  await fake?.close();
  folder.remove();
});

/** A bot in HTTP interactions mode on a free port, pins through the fake Discord's REST. */
async function startHttpBot(settings: Record<string, string>): Promise<{ bot: BotProcess; port: number }> {
  const port = await freePort();
  const env = botEnv(fake, TOKEN, '', {
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_APPLICATION_ID: IDS.applicationId,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...settings,
  });
  const bot = startBotProcess(env);
  running.push(bot);
  const workers = Number(settings.WORKERS ?? 1);
  await bot.waitForLog(workers > 1 ? / INFO +ready workers=/ : /listening for HTTP interactions/, { timeoutMs: 30_000 });
  return { bot, port };
}

async function answerMessage(port: number, question: string) {
  const body = (await postInteraction(port, keys, ask(question))).json();
  expect(body.type).toBe(4);
  return messageJson({ content: body.data.content, embeds: body.data.embeds, components: body.data.components });
}

const pinOf = (message: ReturnType<typeof messageJson>) => buttonIdsOf(message).find((id) => id.startsWith('pin:'))!;

/** What the moderator is told after a Pin click: the reply, or the follow-up of a deferred one. */
async function clickPin(port: number, message: ReturnType<typeof messageJson>): Promise<string> {
  const click = buttonClick(pinOf(message), message, { permissions: PERMISSIONS.moderator });
  const body = (await postInteraction(port, keys, click)).json();
  if (body.type !== 5 && body.type !== 6) return body.data.content;
  const followUp = await fake.waitForRequest(
    (r) => r.method === 'PATCH' && r.path.includes(`/webhooks/${IDS.applicationId}/${click.token}/`),
    20_000,
  );
  return (followUp.body as { content: string }).content;
}

describe('WORKERS=2: two worker processes share the port and the SQLite file', () => {
  it('both serve, a pin made through one is seen through the other, a killed worker is replaced, and SIGTERM stops all', async () => {
    const databasePath = folder.file('workers.sqlite');
    const { bot, port } = await startHttpBot({ WORKERS: '2', DATABASE_PATH: databasePath });

    const seen = new Set<number>();
    for (let attempt = 0; attempt < 40 && seen.size < 2; attempt++) {
      const health = await httpRequest(port, '/healthz');
      expect(health.status).toBe(200);
      seen.add(health.json().worker);
    }
    expect([...seen].sort()).toEqual([1, 2]);

    const message = await answerMessage(port, 'who was arrested in birmingham');
    expect(await clickPin(port, message)).toMatch(/^📌 Pinned/);
    // Connections alternate between the workers: each of them leads with the pinned answer.
    for (let attempt = 0; attempt < 4; attempt++) {
      const again = (await postInteraction(port, keys, ask('who was arrested in birmingham'))).json();
      expect(again.data.embeds[0].description).toContain('Pinned by the moderators');
    }

    const workerPids = execFileSync('pgrep', ['-P', String(bot.child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    expect(workerPids).toHaveLength(2);
    const mark = bot.mark();
    process.kill(workerPids[0]!, 'SIGKILL');
    await bot.waitForLog(/ERROR +HTTP worker died; starting another/, { after: mark });
    await bot.waitForLog(/listening for HTTP interactions/, { after: mark, timeoutMs: 30_000 });
    for (let attempt = 0; attempt < 4; attempt++) expect((await httpRequest(port, '/healthz')).status).toBe(200);

    const exit = await bot.stop();
    expect(exit.code).toBe(0);
    expect(bot.log()).not.toMatch(CRASH_LINE);
    const store = openSqliteStore(databasePath);
    try {
      expect(await store.listPins(IDS.guildId)).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 90_000);
});

const skipPostgres = POSTGRES_MISSING !== undefined && !POSTGRES_REQUIRED;

describe.skipIf(skipPostgres)('replicas on one PostgreSQL database', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => server?.stop());

  async function withStore<T>(url: string, use: (store: BotStore) => Promise<T>): Promise<T> {
    const store = await openPostgresStore(url);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }

  it('two bot processes get the same Pin click at the same moment: one pin is recorded, and both answer', async () => {
    const url = await server.createDatabase();
    const [first, second] = await Promise.all([startHttpBot({ DATABASE_URL: url }), startHttpBot({ DATABASE_URL: url })]);
    for (const replica of [first, second]) {
      expect((await httpRequest(replica.port, '/healthz')).json().store).toEqual({ ok: true, kind: 'postgres' });
    }
    const message = await answerMessage(first.port, 'who was arrested in birmingham');
    const replies = await Promise.all([clickPin(first.port, message), clickPin(second.port, message)]);
    const texts = replies.sort();
    expect(texts.filter((text) => /^📌 Pinned/.test(text))).toHaveLength(1);
    expect(texts.filter((text) => /already pinned/i.test(text))).toHaveLength(1);
    expect(await withStore(url, (store) => store.listPins(IDS.guildId))).toHaveLength(1);
  }, 90_000);

  it('the database server restarts while the bot runs: it reconnects, and loses nothing it acknowledged', async () => {
    const url = await server.createDatabase();
    const { bot, port } = await startHttpBot({ DATABASE_URL: url });
    const before = await answerMessage(port, 'who was arrested in birmingham');
    expect(await clickPin(port, before)).toMatch(/^📌 Pinned/);
    const during = await answerMessage(port, 'who was the attacker');

    const mark = bot.mark();
    server.pause();
    expect((await httpRequest(port, '/healthz')).status).toBe(503);
    // A click while the server is down waits for it rather than failing.
    const clickDuring = clickPin(port, during);
    await new Promise((resolve) => setTimeout(resolve, 500));
    server.start();
    expect(await clickDuring).toMatch(/^📌 Pinned/);
    expect((await httpRequest(port, '/healthz')).status).toBe(200);
    await bot.waitForLog(/database connection lost/, { after: mark });

    const after = await answerMessage(port, 'how many people were injured');
    expect(await clickPin(port, after)).toMatch(/^📌 Pinned/);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.log()).not.toMatch(CRASH_LINE);
    expect((await withStore(url, (store) => store.listPins(IDS.guildId))).map((pin) => pin.messageId).sort()).toEqual(
      [before.id, during.id, after.id].sort(),
    );
  }, 90_000);
});
