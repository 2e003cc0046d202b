/**
 * Proves tests/fake-discord against the real, unmodified discord.js Client.
 * No fixed sleeps: every step waits for the event or request it expects, with a timeout.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AnyThreadChannel,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type TextChannel,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  LabelBuilder,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
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

/** What a bot's "Ask" button might open: a question (text input) and a report (string select), each in a Label. */
const askModal = () =>
  new ModalBuilder()
    .setCustomId('ask-modal')
    .setTitle('Ask the report')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Question')
        .setTextInputComponent(new TextInputBuilder().setCustomId('question').setStyle(TextInputStyle.Short)),
      new LabelBuilder()
        .setLabel('Report')
        .setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId('report')
            .addOptions({ label: 'Budget', value: 'budget' }, { label: 'Parks', value: 'parks' }),
        ),
    );

/** A callback sent over raw REST, as discord.js' builders would refuse the invalid bodies these tests need. */
const rawCallback = (c: Client, id: string, token: string, body: unknown) =>
  c.rest.post(Routes.interactionCallback(id, token), { body, auth: false }).catch((e: unknown) => e);

/** A member posts in the text channel and starts a thread from it (createThread); resolves once discord.js has it. */
async function memberThread(f: FakeDiscord, c: Client, name = 'discussion'): Promise<AnyThreadChannel> {
  const posted = next<Message>(c, Events.MessageCreate);
  const { id } = f.sendMessage({ content: 'a question worth a thread' });
  await posted;
  const created = once(c, Events.ThreadCreate, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
  const thread = f.createThread({ name, messageId: id });
  const [channel, newlyCreated] = (await created) as [AnyThreadChannel, boolean];
  expect(newlyCreated).toBe(true);
  expect(channel.id).toBe(thread.id);
  return channel;
}

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

  it('a button showModal() is recorded; the submit carries Labels around a text input and a string select', async () => {
    const { f, c } = await startBot();
    const clicked = next<ButtonInteraction>(c, Events.InteractionCreate);
    const button = f.sendButton({ customId: 'ask', message: { id: '1300000000000000901', content: 'answer' } });
    await (await clicked).showModal(askModal());
    expect((await f.waitForRequest(callbackOf(button.id))).body).toMatchObject({ type: 9, data: { custom_id: 'ask-modal' } });
    expect(f.modalsShown()).toEqual([
      {
        interactionId: button.id,
        data: expect.objectContaining({
          title: 'Ask the report',
          components: [
            expect.objectContaining({
              type: 18,
              label: 'Question',
              component: expect.objectContaining({ type: 4, custom_id: 'question' }),
            }),
            expect.objectContaining({ type: 18, label: 'Report', component: expect.objectContaining({ type: 3, custom_id: 'report' }) }),
          ],
        }),
      },
    ]);

    const submitted = next<ModalSubmitInteraction>(c, Events.InteractionCreate);
    const { id } = f.sendModalSubmit({
      customId: 'ask-modal',
      fields: { question: 'who said it?', report: ['budget'] },
      message: { id: '1300000000000000901', content: 'answer' },
      permissions: PermissionFlagsBits.ManageMessages,
    });
    const modal = await submitted;
    expect(modal.isModalSubmit()).toBe(true);
    expect(modal.id).toBe(id);
    expect(modal.customId).toBe('ask-modal');
    // Discord numbers the components: each Label, then the input inside it.
    expect(modal.components).toEqual([
      { type: 18, id: 1, component: { type: 4, id: 2, customId: 'question', value: 'who said it?' } },
      { type: 18, id: 3, component: { type: 3, id: 4, customId: 'report', values: ['budget'] } },
    ]);
    expect(modal.fields.getTextInputValue('question')).toBe('who said it?');
    expect(modal.fields.getStringSelectValues('report')).toEqual(['budget']);
    if (!modal.isFromMessage()) throw new Error('the modal submit should carry the message');
    expect(modal.message.content).toBe('answer');
    expect(modal.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(modal.channelId).toBe(f.ids.channelId);
    await modal.update({ content: 'answer, with the question', components: [] });
    expect((await f.waitForRequest(callbackOf(id))).body).toMatchObject({ type: 7, data: { content: 'answer, with the question' } });
    const source = await c.rest.get(Routes.channelMessage(f.ids.channelId, '1300000000000000901'));
    expect(source).toMatchObject({ content: 'answer, with the question' });
  });

  it('a modal submit takes replies (4, 5) but no update (6, 7) without a message, and never a modal', async () => {
    const { f, c } = await startBot();
    let submitted = next<ModalSubmitInteraction>(c, Events.InteractionCreate);
    let sent = f.sendModalSubmit({ customId: 'ask-modal', fields: { question: 'who?' } });
    let modal = await submitted;
    expect(modal.isFromMessage()).toBe(false);
    expect(modal.message).toBeNull();
    const invalidType = {
      status: 400,
      code: 50035,
      rawError: { errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID' }] } } },
    };
    expect(await rawCallback(c, sent.id, sent.token, { type: 6 })).toMatchObject(invalidType);
    expect(await rawCallback(c, sent.id, sent.token, { type: 7, data: { content: 'x' } })).toMatchObject(invalidType);
    expect(await rawCallback(c, sent.id, sent.token, { type: 9, data: askModal().toJSON() })).toMatchObject(invalidType);
    // Refused callbacks do not acknowledge: a reply still works.
    await modal.reply({ content: 'the mayor' });
    expect((f.requests.filter(callbackOf(sent.id)).at(-1) as RecordedRequest).body).toMatchObject({ type: 4 });

    submitted = next<ModalSubmitInteraction>(c, Events.InteractionCreate);
    sent = f.sendModalSubmit({ customId: 'ask-modal', fields: { question: 'who?' } });
    modal = await submitted;
    await modal.deferReply();
    expect((await modal.editReply({ content: 'done' })).content).toBe('done');
    expect(f.modalsShown()).toEqual([]);
  });

  it('validates a MODAL callback: commands and components only; custom_id 1-100, title 1-45, 1-5 components', async () => {
    const { f, c } = await startBot();
    const auto = next<AutocompleteInteraction>(c, Events.InteractionCreate);
    const completion = f.sendAutocomplete({ name: 'ask', options: [{ name: 'question', type: 3, value: 'wh', focused: true }] });
    await auto;
    expect(await rawCallback(c, completion.id, completion.token, { type: 9, data: askModal().toJSON() })).toMatchObject({
      code: 50035,
      rawError: { errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID' }] } } },
    });

    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    const { id, token } = f.sendSlashCommand({ name: 'ask' });
    const interaction = await received;
    const modal = askModal().toJSON();
    const tooLong = await rawCallback(c, id, token, { type: 9, data: { ...modal, custom_id: 'm'.repeat(101), title: 't'.repeat(46) } });
    expect(tooLong).toMatchObject({ status: 400, code: 50035 });
    expect((tooLong as DiscordAPIError).rawError).toMatchObject({
      errors: {
        data: {
          custom_id: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] },
          title: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 45 in length.' }] },
        },
      },
    });
    expect(await rawCallback(c, id, token, { type: 9, data: { ...modal, title: '' } })).toMatchObject({
      rawError: { errors: { data: { title: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } },
    });
    expect(await rawCallback(c, id, token, { type: 9, data: { custom_id: 'm', components: modal.components } })).toMatchObject({
      rawError: { errors: { data: { title: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } },
    });
    for (const components of [[], Array.from({ length: 6 }, () => modal.components[0])])
      expect(await rawCallback(c, id, token, { type: 9, data: { ...modal, components } })).toMatchObject({
        rawError: {
          errors: { data: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' }] } } },
        },
      });
    expect(f.modalsShown()).toEqual([]);
    // Nothing above acknowledged the command: a valid modal still goes through, with a callback response.
    const response = await interaction.showModal(askModal(), { withResponse: true });
    expect(response?.interaction.id).toBe(id);
    expect(f.modalsShown().map((m) => m.interactionId)).toEqual([id]);
  });

  it('message.startThread(): 201 thread with the message id, THREAD_CREATE, the starter gets it; Discord errors', async () => {
    const { f, c } = await startBot();
    const posted = next<Message>(c, Events.MessageCreate);
    const { id } = f.sendMessage({ content: 'who said it?', mentionsBot: true });
    const message = await posted;
    const updated = once(c, Events.MessageUpdate, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
    const thread = await message.startThread({ name: 'who said it' });
    const start = await f.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    expect(start.path).toBe(`/channels/${f.ids.channelId}/messages/${id}/threads`);
    expect(start.body).toMatchObject({ name: 'who said it', auto_archive_duration: 1440 }); // the channel's default
    expect(thread.isThread()).toBe(true);
    expect(thread.id).toBe(id);
    expect(thread.parentId).toBe(f.ids.channelId);
    expect(thread.ownerId).toBe(f.ids.botUserId);
    expect(thread.archived).toBe(false);
    expect(thread.autoArchiveDuration).toBe(1440);
    expect(c.channels.cache.get(id)).toBe(thread);
    const [, after] = (await updated) as [Message, Message]; // MESSAGE_UPDATE with the thread and HAS_THREAD
    expect(after.hasThread).toBe(true);
    expect(message.thread?.id).toBe(id);
    expect(f.threads()).toEqual([
      expect.objectContaining({
        id,
        type: 11,
        guild_id: f.ids.guildId,
        parent_id: f.ids.channelId,
        owner_id: f.ids.botUserId,
        name: 'who said it',
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        thread_metadata: expect.objectContaining({ archived: false, auto_archive_duration: 1440, locked: false }),
      }),
    ]);
    const meta = f.threads()[0].thread_metadata;
    expect(Date.parse(meta.create_timestamp)).toBe(Date.parse(meta.archive_timestamp));
    expect(await c.rest.get(Routes.channel(id))).toMatchObject({ id, type: 11, parent_id: f.ids.channelId });
    expect(await c.rest.get(Routes.channelMessage(f.ids.channelId, id))).toMatchObject({ thread: { id }, flags: 32 });

    // A message has at most one thread; the message must exist; the body follows Discord's limits.
    // (discord.js itself refuses a second startThread() once it knows of the thread: raw REST gets past it)
    await expect(message.startThread({ name: 'again' })).rejects.toMatchObject({ code: 'MessageExistingThread' });
    const post = (m: string, body: unknown) => c.rest.post(Routes.threads(f.ids.channelId, m), { body }).catch((e: unknown) => e);
    expect(await post(id, { name: 'again' })).toMatchObject({
      status: 400,
      code: 160004,
      message: 'A thread has already been created for this message',
    });
    expect(await post('1300000000000000999', { name: 'x' })).toMatchObject({ status: 404, code: 10008 });
    const other = f.sendMessage({ content: 'another' });
    expect(await post(other.id, { name: '' })).toMatchObject({
      code: 50035,
      rawError: { errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
    expect(await post(other.id, { name: 'n'.repeat(101) })).toMatchObject({ code: 50035 });
    expect(await post(other.id, { name: 'ok', auto_archive_duration: 30 })).toMatchObject({
      rawError: { errors: { auto_archive_duration: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } },
    });
    const week = (await c.rest.post(Routes.threads(f.ids.channelId, other.id), {
      body: { name: 'ok', auto_archive_duration: 10080 },
    })) as any;
    expect(week).toMatchObject({ id: other.id, thread_metadata: { auto_archive_duration: 10080 } });
    expect(f.threads().map((t) => t.id)).toEqual([id, other.id]);
  });

  it('denyBotPermissions: without Create Public Threads, startThread is 403 50013 and discord.js sees the denial', async () => {
    const { f, c } = await startBot({ denyBotPermissions: PermissionFlagsBits.CreatePublicThreads });
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    const interaction = await received;
    expect(interaction.appPermissions.has(PermissionFlagsBits.CreatePublicThreads)).toBe(false);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    const channel = c.channels.cache.get(f.ids.channelId) as TextChannel;
    expect(channel.permissionsFor(c.user!)?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(false);
    expect(channel.permissionsFor(c.user!)?.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(true);

    const posted = next<Message>(c, Events.MessageCreate);
    f.sendMessage({ content: 'start a thread?' });
    const message = await posted;
    await expect(message.startThread({ name: 'nope' })).rejects.toMatchObject({ status: 403, code: 50013, message: 'Missing Permissions' });
    expect(f.threads()).toEqual([]);
  });

  it('commands, buttons, modal submits and messages from a thread: the channel is the thread, replies land in it', async () => {
    const { f, c } = await startBot();
    const thread = await memberThread(f, c);
    expect(thread.ownerId).toBe(f.ids.userId);
    expect(thread.parent?.id).toBe(f.ids.channelId);

    const command = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask', channelId: thread.id });
    const interaction = await command;
    expect(interaction.channelId).toBe(thread.id);
    expect(interaction.channel).toBe(thread);
    expect(interaction.channel?.isThread()).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(true);
    const reply = await interaction.reply({ content: 'in the thread', withResponse: true });
    expect(reply.resource?.message?.channelId).toBe(thread.id);
    expect((await interaction.followUp({ content: 'more' })).channelId).toBe(thread.id);

    const clicked = next<ButtonInteraction>(c, Events.InteractionCreate);
    f.sendButton({ customId: 'more:1', message: { id: '1300000000000000902', content: 'page 1' }, channelId: thread.id });
    const button = await clicked;
    expect(button.channelId).toBe(thread.id);
    expect(button.message.channelId).toBe(thread.id);
    await button.update({ content: 'page 2' });
    expect(await c.rest.get(Routes.channelMessage(thread.id, '1300000000000000902'))).toMatchObject({
      content: 'page 2',
      channel_id: thread.id,
    });

    const submitted = next<ModalSubmitInteraction>(c, Events.InteractionCreate);
    f.sendModalSubmit({ customId: 'ask-modal', fields: { question: 'who?' }, channelId: thread.id });
    const modal = await submitted;
    expect(modal.channel).toBe(thread);
    await modal.reply({ content: 'the mayor' });

    const posted = next<Message>(c, Events.MessageCreate);
    const { id } = f.sendMessage({ content: 'and in here?', channelId: thread.id });
    const message = await posted;
    expect(message.id).toBe(id);
    expect(message.channel).toBe(thread);
    const answer = await message.reply({ content: 'yes' });
    expect(answer.channelId).toBe(thread.id);
    await f.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${thread.id}/messages`);
    // Replies, follow-ups and posts count in the thread; the starter message and button message do not.
    expect(f.threads()[0]).toMatchObject({ message_count: 5, total_message_sent: 5, last_message_id: answer.id });
    expect(() => f.sendSlashCommand({ name: 'ask', channelId: '1300000000000000998' })).toThrow(/unknown channel/);
  });

  it('an archived thread refuses posts and replies with 50083 until it is reopened; a locked one needs Manage Threads', async () => {
    const { f, c } = await startBot();
    const thread = await memberThread(f, c);
    const archived = once(c, Events.ThreadUpdate, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
    f.archiveThread(thread.id);
    const [before, after] = (await archived) as [AnyThreadChannel, AnyThreadChannel];
    expect(before.archived).toBe(false);
    expect(after.archived).toBe(true);
    expect(f.threads()[0].thread_metadata.archived).toBe(true);

    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask', channelId: thread.id });
    const interaction = await received;
    await expect(interaction.reply({ content: 'x' })).rejects.toMatchObject({ status: 400, code: 50083, message: 'Thread is archived' });
    await expect(thread.send({ content: 'x' })).rejects.toMatchObject({ status: 400, code: 50083 });
    await expect(thread.setName('renamed')).rejects.toMatchObject({ code: 50083 });
    expect(f.threads()[0].total_message_sent).toBe(0);

    // The bot may reopen it (Send Messages in Threads is enough for an unlocked thread); then it posts again.
    const reopened = await thread.setArchived(false);
    expect(reopened.archived).toBe(false);
    expect((await thread.send({ content: 'back' })).channelId).toBe(thread.id);

    // A member's message also reopens an archived thread, and the bot hears of it.
    const rearchived = next<AnyThreadChannel>(c, Events.ThreadUpdate);
    f.archiveThread(thread.id);
    await rearchived;
    expect(thread.archived).toBe(true);
    const posted = next<Message>(c, Events.MessageCreate);
    f.sendMessage({ content: 'bump', channelId: thread.id });
    expect((await posted).channelId).toBe(thread.id);
    expect(thread.archived).toBe(false); // THREAD_UPDATE came before the MESSAGE_CREATE
    expect(f.threads()[0].thread_metadata.archived).toBe(false);

    // Locked and archived: only Manage Threads reopens it, and members cannot post.
    f.archiveThread(thread.id, { locked: true });
    await expect(thread.setArchived(false)).rejects.toMatchObject({ status: 403, code: 50013 });
    expect(() => f.sendMessage({ content: 'x', channelId: thread.id })).toThrow(/locked/);
    expect(() => f.archiveThread('1300000000000000998')).toThrow(/no thread/);
  });

  it('a bot with Manage Threads may lock and reopen threads; a thread is not a place to start another one', async () => {
    const { f, c } = await startBot({ botPermissions: PermissionFlagsBits.ManageThreads });
    const thread = await memberThread(f, c);
    await thread.setLocked(true);
    expect(f.threads()[0].thread_metadata.locked).toBe(true);
    f.archiveThread(thread.id);
    await thread.edit({ archived: false, locked: false });
    expect(f.threads()[0].thread_metadata).toMatchObject({ archived: false, locked: false });
    const inner = await thread.send({ content: 'inside' });
    await expect(c.rest.post(Routes.threads(thread.id, inner.id), { body: { name: 'nested' } })).rejects.toMatchObject({ code: 50024 });
  });

  it('denyBotPermissions: without Send Messages in Threads, posts and replies in a thread are 403 50013', async () => {
    const { f, c } = await startBot({ denyBotPermissions: PermissionFlagsBits.SendMessagesInThreads });
    const thread = await memberThread(f, c);
    expect(thread.permissionsFor(c.user!)?.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(false);
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask', channelId: thread.id });
    const interaction = await received;
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessagesInThreads)).toBe(false);
    await expect(interaction.reply({ content: 'x' })).rejects.toMatchObject({ status: 403, code: 50013 });
    await expect(thread.send({ content: 'x' })).rejects.toMatchObject({ status: 403, code: 50013 });
    // The text channel is unaffected.
    expect((await (thread.parent as TextChannel).send({ content: 'here instead' })).channelId).toBe(f.ids.channelId);
  });

  it('without Send Messages the bot cannot post in the channel, but interaction replies (webhooks) still work', async () => {
    const { f, c } = await startBot({ denyBotPermissions: PermissionFlagsBits.SendMessages });
    const channel = c.channels.cache.get(f.ids.channelId) as TextChannel;
    await expect(channel.send({ content: 'x' })).rejects.toMatchObject({ status: 403, code: 50013 });
    const received = next<ChatInputCommandInteraction>(c, Events.InteractionCreate);
    f.sendSlashCommand({ name: 'ask' });
    await (await received).reply({ content: 'still answered' });
  });

  it('GUILD_CREATE carries the active threads, so a bot that logs in later knows them', async () => {
    fake = await startFakeDiscord();
    const open = fake.createThread({ name: 'open' });
    const closed = fake.createThread({ name: 'closed', autoArchiveDuration: 60 });
    fake.archiveThread(closed.id);
    client = newClient(fake);
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
    await client.login('test-token');
    await ready;
    expect(client.channels.cache.get(open.id)?.isThread()).toBe(true);
    expect(client.channels.cache.has(closed.id)).toBe(false);
    expect(open).toMatchObject({
      owner_id: fake.ids.userId,
      parent_id: fake.ids.channelId,
      thread_metadata: { auto_archive_duration: 1440 },
    });
  });
});
