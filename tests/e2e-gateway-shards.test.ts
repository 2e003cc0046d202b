/**
 * Gateway shards through the real `src/main.ts` and discord.js against the fake Discord, which
 * recommends 2 shards from GET /gateway/bot and sends each interaction on the shard it names.
 * One process runs both shards by default; two processes can split them (SHARDS + SHARD_IDS)
 * and share one store, so a pin made through one is seen through the other.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { botEnv, botToken, CRASH_LINE, startReadyBot, tempDir, type BotProcess } from './e2e/bot-process.ts';
import { askForMessage, buttonWithPrefix, click, MEMBER, MODERATOR } from './e2e/interactions.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/fake-discord.ts';

const APPLICATION_ID = '1300000000000000101';
const TOKEN = botToken(APPLICATION_ID);
let fake: FakeDiscord;
const folder = tempDir('report-bot-shards-');
const bots: BotProcess[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord({ applicationId: APPLICATION_ID, validToken: TOKEN, shards: 2 });
});
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop()));
});
afterAll(async () => {
  await fake?.close();
  folder.remove();
});

async function startBot(databasePath: string, settings: Record<string, string> = {}): Promise<BotProcess> {
  const bot = await startReadyBot(botEnv(fake, TOKEN, databasePath, settings));
  bots.push(bot);
  return bot;
}

async function waitForShards(expected: Array<[number, number]>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (JSON.stringify(fake.connectedShards()) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(fake.connectedShards()).toEqual(expected);
}

describe('gateway shards', () => {
  it('SHARDS unset: one process opens the 2 shards Discord recommends, and an interaction on each is answered', async () => {
    const bot = await startBot(folder.file('auto.sqlite'), { SHARDS: '' });
    await waitForShards([
      [0, 2],
      [1, 2],
    ]);
    expect(bot.lines.find((line) => / INFO +ready /.test(line))).toMatch(/shards=0,1 shardCount=2/);
    for (const shard of [0, 1]) {
      const { data } = await askForMessage(fake, 'who was arrested in birmingham', { ...MEMBER, shard });
      expect(data.embeds[0].description).toContain('Birmingham');
    }
    expect(bot.log()).not.toMatch(CRASH_LINE);
  }, 60_000);

  it('two processes split the shards (SHARD_IDS) on one store: a pin made through shard 0 leads the answer on shard 1', async () => {
    const databasePath = folder.file('split.sqlite');
    const [first, second] = await Promise.all([
      startBot(databasePath, { SHARDS: '2', SHARD_IDS: '0' }),
      startBot(databasePath, { SHARDS: '2', SHARD_IDS: '1' }),
    ]);
    await waitForShards([
      [0, 2],
      [1, 2],
    ]);
    expect(first.lines.find((line) => / INFO +ready /.test(line))).toMatch(/shards=0 shardCount=2/);
    expect(second.lines.find((line) => / INFO +ready /.test(line))).toMatch(/shards=1 shardCount=2/);

    const answer = await askForMessage(fake, 'who was arrested in birmingham', { ...MEMBER, shard: 0 });
    const pinned = await click(fake, answer.message, buttonWithPrefix(answer.message, 'pin'), { ...MODERATOR, shard: 0 });
    expect(pinned.data.content).toMatch(/Pinned/);

    // Shard 1 is another process: it knows of the pin only through the shared store.
    const again = await askForMessage(fake, 'who was arrested in birmingham', { ...MEMBER, shard: 1 });
    expect(again.data.embeds[0].description).toContain('Pinned by the moderators');
    expect(second.lines.some((line) => /handled kind=command name=ask/.test(line))).toBe(true);
    expect(first.log() + second.log()).not.toMatch(CRASH_LINE);
  }, 60_000);
});
