/**
 * Proves tests/fake-discord against the real, unmodified discord.js Client.
 * No fixed sleeps: every step waits for the event or request it expects, with a timeout.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  PermissionFlagsBits,
} from 'discord.js';
import { type FakeDiscord, type FakeDiscordOptions, type RecordedRequest, startFakeDiscord } from './fake-discord/fake-discord.ts';

const EVENT_TIMEOUT_MS = 5000;
let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

function newClient(
  f: FakeDiscord,
  intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
): Client {
  return new Client({ intents, rest: { api: f.apiUrl, retries: 0, timeout: 3000 } });
}

/** Start a fake and a logged-in client that has reached clientReady. */
async function startBot(options?: FakeDiscordOptions, intents?: GatewayIntentBits[]): Promise<{ f: FakeDiscord; c: Client }> {
  fake = await startFakeDiscord(options);
  client = newClient(fake, intents);
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
  await client.login('test-token');
  await ready;
  return { f: fake, c: client };
}

/** Register for the next emission of `event` before triggering it; resolves with its first argument. */
function next<T>(c: Client, event: string): Promise<T> {
  return once(c, event, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) }).then(([arg]) => arg as T);
}

const callbackOf = (id: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`) && r.path.endsWith('/callback');

describe('fake Discord with the real discord.js client', () => {
  it('logs in: gateway/bot, IDENTIFY, READY with application, GUILD_CREATE with channel and bot member', async () => {
    const { f, c } = await startBot();
    expect(c.application?.id).toBe(f.ids.applicationId);
    expect(c.user?.id).toBe(f.ids.botUserId);
    const guild = c.guilds.cache.get(f.ids.guildId);
    expect(guild?.available).toBe(true);
    expect(c.channels.cache.get(f.ids.channelId)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    const identify = await f.waitForIdentify();
    expect(identify.token).toBe('test-token');
    expect(identify.intents & GatewayIntentBits.MessageContent).toBeTruthy();
    const gateway = await f.waitForRequest((r) => r.path === '/gateway/bot');
    expect(gateway.headers.authorization).toBe('Bot test-token');
  });

  it('rejects login with a wrong token (TokenInvalid)', async () => {
    fake = await startFakeDiscord();
    client = newClient(fake);
    await expect(client.login('wrong-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(fake.requests.map((r) => r.path)).toEqual(['/gateway/bot']);
  });

  it('delivers a slash command and records reply() as a type 4 callback', async () => {
    const { f, c } = await startBot();
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    const { id, token } = f.sendSlashCommand({
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'who said it?' }],
      permissions: PermissionFlagsBits.ManageMessages,
    });
    const interaction = await received;
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.id).toBe(id);
    expect(interaction.options.getString('question')).toBe('who said it?');
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(interaction.channel?.id).toBe(f.ids.channelId);

    await interaction.reply({ content: 'the answer', allowedMentions: { parse: [] } });
    const callback = await f.waitForRequest(callbackOf(id));
    expect(callback.path).toBe(`/interactions/${id}/${token}/callback`);
    expect(callback.headers.authorization).toBeUndefined();
    expect(callback.query.get('with_response')).toBe('false');
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'the answer', allowed_mentions: { parse: [] } } });
  });

  it('answers withResponse: true with an interaction callback response', async () => {
    const { f, c } = await startBot();
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    const response = await (await received).reply({ content: 'hi', withResponse: true });
    expect(response.resource?.message?.content).toBe('hi');
  });

  it('deferReply then editReply edits @original', async () => {
    const { f, c } = await startBot();
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    const { id, token } = f.sendSlashCommand({ name: 'ask' });
    const interaction = await received;
    await interaction.deferReply();
    expect((await f.waitForRequest(callbackOf(id))).body).toMatchObject({ type: 5 });
    const edited = await interaction.editReply({ content: 'done', embeds: [{ description: 'passage' }] });
    expect(edited.content).toBe('done');
    const patch = await f.waitForRequest((r) => r.method === 'PATCH');
    expect(patch.path).toBe(`/webhooks/${f.ids.applicationId}/${token}/messages/@original`);
    expect(patch.body).toMatchObject({ content: 'done', embeds: [{ description: 'passage' }] });
    const followUp = await interaction.followUp({ content: 'more' });
    expect(followUp.content).toBe('more');
  });

  it('autocomplete respond() sends a type 8 callback with choices', async () => {
    const { f, c } = await startBot();
    const received = next<AutocompleteInteraction>(c, Events.InteractionCreate);
    const { id } = f.sendAutocomplete({ name: 'ask', options: [{ name: 'question', type: 3, value: 'wh', focused: true }] });
    const interaction = await received;
    expect(interaction.isAutocomplete()).toBe(true);
    expect(interaction.options.getFocused()).toBe('wh');
    await interaction.respond([{ name: 'who', value: 'who' }]);
    expect((await f.waitForRequest(callbackOf(id))).body).toEqual({ type: 8, data: { choices: [{ name: 'who', value: 'who' }] } });
  });

  it('a button update() sends a type 7 callback', async () => {
    const { f, c } = await startBot();
    const received = next<ButtonInteraction>(c, Events.InteractionCreate);
    const { id } = f.sendButton({ customId: 'more:1', message: { id: '1300000000000000900', content: 'page 1' } });
    const interaction = await received;
    expect(interaction.isButton()).toBe(true);
    expect(interaction.customId).toBe('more:1');
    expect(interaction.message.content).toBe('page 1');
    await interaction.update({ content: 'page 2', components: [] });
    expect((await f.waitForRequest(callbackOf(id))).body).toMatchObject({ type: 7, data: { content: 'page 2', components: [] } });
  });

  it('a message context menu command carries the target message', async () => {
    const { f, c } = await startBot();
    const received = next<MessageContextMenuCommandInteraction>(c, Events.InteractionCreate);
    const { id } = f.sendMessageContextMenu({ name: 'Explain', targetMessage: { content: 'what is this?' } });
    const interaction = await received;
    expect(interaction.isMessageContextMenuCommand()).toBe(true);
    expect(interaction.targetMessage.content).toBe('what is this?');
    await interaction.reply({ content: 'this' });
    expect((await f.waitForRequest(callbackOf(id))).body).toMatchObject({ type: 4 });
  });

  it('a mention arrives as messageCreate; reply() posts and pin() hits the pins route', async () => {
    const { f, c } = await startBot();
    const received = next<Message>(c, Events.MessageCreate);
    const { id } = f.sendMessage({ content: 'who said it?', mentionsBot: true });
    const message = await received;
    expect(message.id).toBe(id);
    expect(message.mentions.users.has(f.ids.botUserId)).toBe(true);
    expect(message.content).toBe(`<@${f.ids.botUserId}> who said it?`);

    const reply = await message.reply({ content: 'the mayor', allowedMentions: { parse: [] } });
    expect(reply.content).toBe('the mayor');
    const post = await f.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${f.ids.channelId}/messages`);
    expect(post.body).toMatchObject({ content: 'the mayor', message_reference: { message_id: id } });

    await reply.pin();
    await f.waitForRequest((r) => r.method === 'PUT' && r.path === `/channels/${f.ids.channelId}/messages/pins/${reply.id}`);
    const pins = await c.rest.get(`/channels/${f.ids.channelId}/messages/pins`);
    expect(pins).toMatchObject({ items: [{ message: { id: reply.id } }], has_more: false });
  });

  it('blanks message content without the MessageContent intent unless the bot is mentioned', async () => {
    const { f, c } = await startBot(undefined, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const plain = next<Message>(c, Events.MessageCreate);
    f.sendMessage({ content: 'just chatting' });
    expect((await plain).content).toBe('');
    const mention = next<Message>(c, Events.MessageCreate);
    f.sendMessage({ content: 'hey', mentionsBot: true });
    expect((await mention).content).toContain('hey');
  });

  it('intercept: 5xx rejects with HTTPError, 4xx with DiscordAPIError', async () => {
    const { f, c } = await startBot();
    const remove = f.intercept((r) => (r.path.endsWith('/callback') ? { status: 500, body: { message: 'boom', code: 0 } } : undefined));
    let received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    const error = await (await received).reply({ content: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(500);
    remove();

    f.intercept((r) => (r.path.endsWith('/callback') ? { status: 403, body: { message: 'Missing Permissions', code: 50013 } } : undefined));
    received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    const forbidden = await (await received).reply({ content: 'x' }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(DiscordAPIError);
    expect((forbidden as DiscordAPIError).code).toBe(50013);
  });

  it('a 429 with Retry-After is retried by discord.js and then succeeds', async () => {
    const { f, c } = await startBot();
    let limited = 0;
    f.intercept((r) => {
      if (!r.path.endsWith('/callback') || limited++ > 0) return undefined; // only the first attempt
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
        headers: { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' },
      };
    });
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    const { id } = f.sendSlashCommand({ name: 'ask' });
    await (await received).reply({ content: 'eventually' });
    expect(f.requests.filter(callbackOf(id))).toHaveLength(2);
  });

  it('mirrors Discord errors: too-long content, late acknowledgement, unknown routes', async () => {
    const { f, c } = await startBot({ interactionAckTimeoutMs: -1 }); // every callback counts as later than the deadline
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    await expect((await received).reply({ content: 'x' })).rejects.toMatchObject({ code: 10062 });

    const msg = await c.rest
      .post(`/channels/${f.ids.channelId}/messages`, { body: { content: 'x'.repeat(2001) } })
      .catch((e: unknown) => e);
    expect(msg).toMatchObject({ code: 50035, status: 400 });
    await expect(c.rest.get('/nope')).rejects.toMatchObject({ status: 404 });
    expect(f.requests.at(-1)?.path).toBe('/nope');
  });

  it('registers guild commands and answers heartbeats', async () => {
    const { f, c } = await startBot({ heartbeatIntervalMs: 50 });
    const commands = await c.application!.commands.set([{ name: 'ask', description: 'Ask the report' }], f.ids.guildId);
    expect(commands.first()?.name).toBe('ask');
    expect((await f.waitForRequest((r) => r.method === 'PUT')).path).toBe(
      `/applications/${f.ids.applicationId}/guilds/${f.ids.guildId}/commands`,
    );
    // Two heartbeats in a row mean the first one was ACKed (else discord.js reconnects as a zombie).
    let beats = 0;
    await f.waitForGatewayMessage((m) => m.op === 1 && ++beats === 2);
    expect(f.gatewayMessages.filter((m) => m.op === 2 || m.op === 6)).toHaveLength(1);
    expect(c.ws.ping).toBeGreaterThanOrEqual(0);
  });
});
