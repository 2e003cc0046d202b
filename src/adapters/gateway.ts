import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { ComponentType, type APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import {
  DEFER_AFTER_MS,
  dispatchAutocomplete,
  dispatchCommand,
  dispatchComponent,
  dispatchMention,
  expectsEphemeralReply,
  FORM_GONE,
  SOMETHING_WENT_WRONG,
} from '../bot/dispatch.ts';
import { threadConversationKey } from '../bot/conversations.ts';
import { reconcileChannelPins } from '../bot/pins.ts';
import { threadReplies } from '../bot/threads.ts';
import { errorReply, toMessagePayload } from '../bot/reply.ts';
import type { ActionRow, BaseServices, BotReply, BotServices, Invocation, MessageSnapshot, OptionValue } from '../bot/types.ts';
import type { Config } from '../config.ts';
import { respond, type Deferral, type InteractionResponder } from './respond.ts';
import { restActions } from './rest-actions.ts';
import { describeError } from '../core/errors.ts';

export interface GatewayBot {
  client: Client;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Called once when Discord closes the connection for good (a bad token, intents not allowed): main exits 1. */
  onFatal?: (message: string) => void;
}

/**
 * Close codes after which Discord will not take the connection back
 * (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes),
 * each with what the operator must do.
 */
export const FATAL_CLOSE_CODES: Readonly<Record<number, string>> = {
  4004: 'Discord rejected DISCORD_TOKEN (gateway close 4004). Reset the token in the Developer Portal → Bot, put the new one in .env, and start again.',
  4010: 'Discord refused the shard (gateway close 4010): check the sharding settings.',
  4011: 'Discord requires sharding for this bot (gateway close 4011): it is in too many servers for one connection.',
  4012: 'Discord refused the gateway version (gateway close 4012): update discord.js.',
  4013: 'Discord refused the gateway intents (gateway close 4013, invalid intents): this is a bug in the bot; report it.',
  4014: 'Discord refused a privileged intent (gateway close 4014): turn it on in the Developer Portal → Bot → Privileged Gateway Intents, or remove it.',
};

/** discord.js takes camelCase options; the payload builder speaks Discord's JSON. */
function replyOptions(payload: APIInteractionResponseCallbackData) {
  return {
    content: payload.content ?? '',
    embeds: payload.embeds ?? [],
    components: payload.components ?? [],
    allowedMentions: { parse: [] as [] },
    ...(payload.flags !== undefined && { flags: payload.flags as MessageFlags.Ephemeral }),
  };
}

function invocationOf(interaction: Interaction): Invocation {
  return {
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    user: { id: interaction.user.id, name: interaction.user.globalName ?? interaction.user.username },
    memberPermissions: interaction.memberPermissions?.bitfield ?? null,
    // A channel discord.js has not cached cannot be told apart: the thread's context is looked for too.
    ...(interaction.channel && { inThread: interaction.channel.isThread() }),
  };
}

function messageSnapshot(message: Message): MessageSnapshot {
  return {
    id: message.id,
    channelId: message.channelId,
    authorId: message.author.id,
    content: message.content,
    embeds: message.embeds.map((embed) => embed.toJSON()),
    components: message.components.map((row) => row.toJSON()).filter((row): row is ActionRow => row.type === ComponentType.ActionRow),
    buttonIds: message.components.flatMap((row) => {
      const children: ReadonlyArray<object> = 'components' in row ? row.components : [];
      return children.flatMap((component) =>
        'customId' in component && typeof component.customId === 'string' ? [component.customId] : [],
      );
    }),
  };
}

/** Speaks the shared answering procedure (respond.ts) through discord.js. */
type AnswerableInteraction =
  ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** A button, or a form opened from one: what the reply may update in place. */
function onMessage(interaction: AnswerableInteraction): interaction is ButtonInteraction | ModalSubmitInteraction {
  return interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
}

function responderFor(interaction: AnswerableInteraction): InteractionResponder {
  const options = (reply: BotReply) => replyOptions(toMessagePayload(reply));
  return {
    async reply(reply) {
      if (reply.modal && !interaction.isModalSubmit()) await interaction.showModal(reply.modal);
      else if (reply.updateMessage && onMessage(interaction))
        await (interaction as ButtonInteraction).update({ ...options(reply), flags: undefined });
      else await interaction.reply(options(reply));
    },
    async defer(deferral) {
      if (deferral.kind === 'update' && onMessage(interaction)) await (interaction as ButtonInteraction).deferUpdate();
      else await interaction.deferReply(deferral.kind === 'message' && deferral.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      return true;
    },
    editOriginal: async (reply) => void (await interaction.editReply({ ...options(reply), flags: undefined })),
    deleteOriginal: () => interaction.deleteReply(),
    followUp: async (reply) => void (await interaction.followUp(options(reply))),
  };
}

/** Sends the reply, deferring first if the handler is slower than Discord's deadline allows. */
async function answerInteraction(interaction: AnswerableInteraction, work: Promise<BotReply>, deferral: Deferral): Promise<void> {
  await respond(work, responderFor(interaction), { deferAfterMs: DEFER_AFTER_MS, deferral });
}

/**
 * discord.js's sharding: SHARDS unset or 'auto' takes Discord's recommendation (GET /gateway/bot)
 * and runs every shard here; SHARDS=N runs N; with SHARD_IDS this process runs only those of the
 * N, so that several processes or machines, sharing one store, split the shards between them.
 */
function shardOptions(config: Config): { shards: number[] | 'auto'; shardCount?: number } {
  if (config.shards === 'auto') return { shards: 'auto' };
  const all = Array.from({ length: config.shards }, (_, id) => id);
  return { shards: config.shardIds ?? all, shardCount: config.shards };
}

export async function startGateway(config: Config, base: BaseServices, options: GatewayOptions = {}): Promise<GatewayBot> {
  const { logger } = base;
  const client = new Client({
    // Mentions of the bot carry their content without the privileged Message Content intent; the
    // operator turns it on for threads that answer every message (/threads replies:all).
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      ...(config.messageContentIntent ? [GatewayIntentBits.MessageContent] : []),
    ],
    rest: { api: config.apiUrl },
    ...shardOptions(config),
  });
  const services = (): BotServices => ({ ...base, discord: restActions(client.rest), botUserId: client.user?.id });

  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(interaction, services()).catch((error: unknown) => {
      logger.error('could not answer the interaction', {
        guild: interaction.guildId ?? 'none',
        type: interaction.type,
        error: describeError(error),
      });
      // Whatever failed before a reply, the person still hears back.
      if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
        interaction
          .reply({ content: SOMETHING_WENT_WRONG, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } })
          .catch(() => undefined);
      }
    });
  });

  client.on(Events.MessageCreate, (message) => {
    // A message without an author (a malformed dispatch) is nobody asking anything.
    if (!message.author || message.author.bot || !client.user) return;
    const botUserId = client.user.id;
    const mentioned = message.mentions?.users.has(botUserId) === true;
    questionOf(message, mentioned, services())
      .then((asked) => (asked ? handleMention(message, botUserId, services()) : undefined))
      .catch((error: unknown) =>
        logger.error('could not answer the message', { guild: message.guildId ?? 'none', error: describeError(error) }),
      );
  });

  client.on(Events.ChannelPinsUpdate, (channel) => {
    if (!('guildId' in channel) || !channel.guildId) return;
    reconcileChannelPins(channel.guildId, channel.id, services())
      .then(({ added, removed }) => {
        if (added || removed) logger.info('pins reconciled', { guild: channel.guildId, channel: channel.id, added, removed });
      })
      .catch((error: unknown) =>
        logger.warn('could not reconcile pins', { guild: channel.guildId, channel: channel.id, error: describeError(error) }),
      );
  });

  client.on(Events.Error, (error) => logger.error('gateway error', { error: error.message }));
  let fatal = false;
  client.on(Events.ShardDisconnect, (event, shard) => {
    const advice = FATAL_CLOSE_CODES[event.code];
    if (!advice) return void logger.warn('gateway disconnected', { shard, code: event.code });
    if (fatal) return;
    fatal = true;
    logger.error('gateway closed for good', { shard, code: event.code });
    options.onFatal?.(advice);
  });
  client.on(Events.ShardReconnecting, (shard) => logger.warn('gateway reconnecting', { shard }));
  client.on(Events.ShardResume, (shard, replayed) => logger.info('gateway resumed', { shard, replayed }));
  client.on(Events.ShardReady, (shard) => logger.info('gateway connected', { shard }));
  client.rest.on('rateLimited', (info) => logger.warn('rate limited', { route: info.route, retryAfterMs: info.retryAfter }));
  // Interaction callbacks wait out a 429 without a 'rateLimited' event; the response event sees every one.
  client.rest.on('response', (request, response) => {
    if (response.status === 429)
      logger.warn('rate limited', {
        route: request.route,
        method: request.method,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      });
  });

  const ready = new Promise<void>((resolve) =>
    client.once(Events.ClientReady, (readyClient) => {
      const shards = readyClient.ws.shards.map((shard) => shard.id);
      logger.info('ready', {
        user: readyClient.user.tag,
        guilds: readyClient.guilds.cache.size,
        shards: shards.join(','),
        shardCount: client.options.shardCount,
      });
      resolve();
    }),
  );
  logger.info('logging in', { api: config.apiUrl });
  await client.login(config.discordToken);
  await ready;
  reconcileStoredPins(client, services(), logger).catch((error: unknown) =>
    logger.warn('could not reconcile pins at start-up', { error: describeError(error) }),
  );
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}

/**
 * A crash between pinning in Discord and recording the pin (or a pin removed while the bot was
 * down) leaves the two disagreeing: at start-up every channel with recorded pins is checked.
 */
async function reconcileStoredPins(client: Client, services: BotServices, logger: BaseServices['logger']): Promise<void> {
  for (const guildId of client.guilds.cache.keys()) {
    const channels = new Set((await services.store.listPins(guildId)).map((pin) => pin.channelId));
    for (const channelId of channels) {
      try {
        const { added, removed } = await reconcileChannelPins(guildId, channelId, services);
        if (added || removed) logger.info('pins reconciled at start-up', { guild: guildId, channel: channelId, added, removed });
      } catch (error) {
        logger.warn('could not reconcile pins at start-up', { guild: guildId, channel: channelId, error: describeError(error) });
      }
    }
  }
}

async function handleInteraction(interaction: Interaction, services: BotServices): Promise<void> {
  const invocation = invocationOf(interaction);
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    const choices = await dispatchAutocomplete(
      {
        ...invocation,
        commandName: interaction.commandName,
        focused: { name: focused.name, value: String(focused.value) },
        options: optionsOf(interaction.options.data),
      },
      services,
    );
    await interaction.respond(choices);
    return;
  }
  if (interaction.isChatInputCommand()) {
    const subcommand = interaction.options.getSubcommand(false);
    const command = {
      ...invocation,
      commandName: interaction.commandName,
      options: optionsOf(interaction.options.data),
      ...(subcommand && { subcommand }),
    };
    await answerInteraction(interaction, dispatchCommand(command, services), {
      kind: 'message',
      ephemeral: expectsEphemeralReply(command),
    });
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    const work = dispatchCommand(
      { ...invocation, commandName: interaction.commandName, options: {}, targetMessage: messageSnapshot(interaction.targetMessage) },
      services,
    );
    await answerInteraction(interaction, work, { kind: 'message', ephemeral: true });
    return;
  }
  if (interaction.isButton()) {
    const work = dispatchComponent(
      { ...invocation, customId: interaction.customId, message: messageSnapshot(interaction.message) },
      services,
    );
    // A slow button shows its loading state; its reply (for whoever clicked) then follows up.
    await answerInteraction(interaction, work, { kind: 'update' });
    return;
  }
  if (interaction.isModalSubmit()) {
    if (!interaction.message) {
      await interaction.reply(replyOptions(toMessagePayload(errorReply(FORM_GONE))));
      return;
    }
    const fields = Object.fromEntries(
      interaction.fields.fields.map((field, customId) => [
        customId,
        'values' in field && field.values ? [...field.values] : String('value' in field ? (field.value ?? '') : ''),
      ]),
    );
    const work = dispatchComponent(
      { ...invocation, customId: interaction.customId, message: messageSnapshot(interaction.message), fields },
      services,
    );
    await answerInteraction(interaction, work, { kind: 'update' });
  }
}

type OptionData = { name: string; value?: string | number | boolean | undefined; options?: readonly OptionData[] | undefined };

/** Options by name; a subcommand's options are lifted to the top (its name is `subcommand`). */
function optionsOf(data: readonly OptionData[], into: Record<string, OptionValue> = {}): Record<string, OptionValue> {
  for (const option of data) {
    if (option.options) optionsOf(option.options, into);
    else if (option.value !== undefined) into[option.name] = option.value;
  }
  return into;
}

/**
 * Whether a message is a question for the bot: a mention, or, where the server chose it, any
 * message in a thread started from an answer.
 */
async function questionOf(message: Message, mentioned: boolean, services: BotServices): Promise<boolean> {
  if (mentioned) return true;
  if (!message.guildId || !message.channel.isThread() || !message.content.trim()) return false;
  const inBotThread = await services.conversations.get(threadConversationKey(message.channelId), Date.now());
  return inBotThread !== undefined && (await threadReplies(services, message.guildId)) === 'all';
}

async function handleMention(message: Message, botUserId: string, services: BotServices): Promise<void> {
  const question = message.content.replaceAll(new RegExp(`<@!?${botUserId}>`, 'g'), ' ').trim();
  const invocation = {
    guildId: message.guildId,
    channelId: message.channelId,
    user: { id: message.author.id, name: message.member?.displayName ?? message.author.globalName ?? message.author.username },
    memberPermissions: message.member?.permissions.bitfield ?? null,
    inThread: message.channel.isThread(),
    commandName: 'ask',
    options: {},
  };
  const payload = toMessagePayload(await dispatchMention(question, invocation, services));
  await message.reply({ ...replyOptions(payload), flags: undefined, allowedMentions: { parse: [], repliedUser: false } });
}
