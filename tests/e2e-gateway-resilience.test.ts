import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/fake-discord.ts';
import { type BotProcess, botEnv, botToken, CRASH_LINE, startReadyBot, tempDir, waitForExit } from './e2e/bot-process.ts';
import { callbackOf, MEMBER } from './e2e/interactions.ts';

/**
 * The real discord.js client against the fake Discord when the gateway misbehaves: closes,
 * fatal or not, malformed dispatches, and pins that disagree with the record after a crash.
 */

const APPLICATION_ID = '1300000000000000301';
const TOKEN = botToken(APPLICATION_ID);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(prepare?: (databasePath: string) => Promise<void>): Promise<{ fake: FakeDiscord; bot: BotProcess }> {
  const fake = await startFakeDiscord({ applicationId: APPLICATION_ID, validToken: TOKEN });
  const temp = tempDir('report-bot-e2e-resilience-');
  cleanups.push(
    () => fake.close(),
    () => temp.remove(),
  );
  await prepare?.(temp.file('bot.sqlite'));
  const bot = await startReadyBot(botEnv(fake, TOKEN, temp.file('bot.sqlite')));
  cleanups.push(() =>
    bot
      .stop()
      .then(() => undefined)
      .catch(() => undefined),
  );
  return { fake, bot };
}

describe('the gateway connection', () => {
  it('a fatal close after login (4014) exits 1 with one line saying what to do', async () => {
    const { fake, bot } = await setup();
    fake.closeGateway(4014, 'Disallowed intent(s).');
    const exit = await waitForExit(bot);
    expect(exit.code).toBe(1);
    expect(bot.lines.at(-1)).toMatch(/^Discord refused a privileged intent \(gateway close 4014\): turn it on in the Developer Portal/);
    expect(bot.log()).toMatch(/ERROR +gateway closed for good shard=0 code=4014/);
    expect(bot.log()).not.toMatch(/^\s+at /m);
  });

  it('a recoverable close is logged, the bot reconnects, logs that too, and answers again', async () => {
    const { fake, bot } = await setup();
    const mark = bot.mark();
    fake.closeGateway(4000, 'Unknown error.');
    await bot.waitForLog(/WARN +gateway (disconnected|reconnecting)/, { after: mark });
    await bot.waitForLog(/INFO +gateway (connected|resumed)/, { after: mark, timeoutMs: 15_000 });
    await fake.waitForIdentify();
    const sent = fake.sendSlashCommand({ name: 'reports', ...MEMBER });
    const callback = await fake.waitForRequest(callbackOf(sent.id), 10_000);
    expect(callback.body.data.embeds[0].title).toBe('Reports (3)');
  });

  it('a button without a custom id gets an ephemeral reply; a message without an author is ignored, nothing crashes', async () => {
    const { fake, bot } = await setup();
    const sent = fake.sendButton({
      customId: undefined as unknown as string,
      ...MEMBER,
      message: { id: '1300000000000009999', content: 'x' },
    });
    const callback = await fake.waitForRequest(callbackOf(sent.id));
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.content).toMatch(/That button no longer does anything/);
    fake.sendGatewayDispatch('MESSAGE_CREATE', {
      id: '1300000000000009998',
      channel_id: fake.ids.channelId,
      guild_id: fake.ids.guildId,
      content: 'no author',
      type: 0,
      timestamp: new Date().toISOString(),
      mentions: [],
      embeds: [],
      attachments: [],
      components: [],
    });
    // Something after it is still answered, and no crash line came before it.
    const after = fake.sendSlashCommand({ name: 'reports', ...MEMBER });
    await fake.waitForRequest(callbackOf(after.id));
    expect(bot.log()).not.toMatch(CRASH_LINE);
  });
});

describe('pins at start-up', () => {
  it('a recorded pin whose message is not pinned in Discord (a crash between the two) is dropped when the bot starts', async () => {
    const { bot } = await setup(async (databasePath) => {
      const store = openSqliteStore(databasePath);
      await store.recordPin({
        guildId: '1300000000000000002',
        channelId: '1300000000000000003',
        messageId: '1300000000000008888',
        question: 'who was arrested in birmingham',
        answerKey: 'westminster-attack/p13',
        pinnedBy: 'moderator',
        pinnedAt: new Date().toISOString(),
      });
      await store.close();
    });
    await bot.waitForLog(/INFO +pins reconciled at start-up .*removed=1/);
  });
});
