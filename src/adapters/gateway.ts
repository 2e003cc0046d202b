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
} from 'discord.js';
import type { APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import { DEFER_AFTER_MS, dispatchAutocomplete, dispatchCommand, dispatchComponent, dispatchMention, expectsEphemeralReply } from '../bot/dispatch.ts';
import { reconcileChannelPins } from '../bot/pins.ts';
import { toMessagePayload } from '../bot/reply.ts';
import type { BaseServices, BotReply, BotServices, Invocation, MessageSnapshot, OptionValue } from '../bot/types.ts';
import type { Config } from '../config.ts';
import { restActions } from './rest-actions.ts';


export type { BaseServices } from '../bot/types.ts';

export interface GatewayBot {
  client: Client;
  stop(): Promise<void>;
}

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
  };
}

function messageSnapshot(message: Message): MessageSnapshot {
  return {
    id: message.id,
    channelId: message.channelId,
    authorId: message.author.id,
    content: message.content,
    embeds: message.embeds.map((embed) => embed.toJSON()),
    buttonIds: message.components.flatMap((row) => {
      const children: ReadonlyArray<object> = 'components' in row ? row.components : [];
      return children.flatMap((component) => ('customId' in component && typeof component.customId === 'string' ? [component.customId] : []));
    }),
  };
}

/** Sends the reply, deferring first if the handler is slower than Discord's deadline allows. */
async function answerInteraction(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction,
  work: Promise<BotReply>,
  deferEphemeral: boolean,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), DEFER_AFTER_MS)));
  const first = await Promise.race([work, slow]);
  clearTimeout(timer);
  if (first === 'slow') {
    await interaction.deferReply(deferEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await work;
    const payload = toMessagePayload(reply);
    if (Boolean(reply.ephemeral) === deferEphemeral) {
      await interaction.editReply({ ...replyOptions(payload), flags: undefined });
    } else {
      // The placeholder has the wrong visibility (a private error must not go public): replace it.
      await interaction.deleteReply();
      await interaction.followUp(replyOptions(payload));
    }
    return;
  }
  const payload = toMessagePayload(first);
  if (first.updateMessage && interaction.isButton()) {
    await interaction.update({ ...replyOptions(payload), flags: undefined });
  } else {
    await interaction.reply(replyOptions(payload));
  }
}

export async function startGateway(config: Config, base: BaseServices): Promise<GatewayBot> {
  const { logger } = base;
  const client = new Client({
    // Mentions of the bot carry their content without the privileged Message Content intent.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: config.apiUrl },
  });
  const services = (): BotServices => ({ ...base, discord: restActions(client.rest), botUserId: client.user?.id });

  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(interaction, services()).catch((error: unknown) =>
      logger.error('could not answer the interaction', { guild: interaction.guildId ?? 'none', type: interaction.type, error: String(error) }),
    );
  });

  client.on(Events.MessageCreate, (message) => {
    if (message.author.bot || !client.user || !message.mentions.users.has(client.user.id)) return;
    handleMention(message, client.user.id, services()).catch((error: unknown) =>
      logger.error('could not answer the mention', { guild: message.guildId ?? 'none', error: String(error) }),
    );
  });

  client.on(Events.ChannelPinsUpdate, (channel) => {
    if (!('guildId' in channel) || !channel.guildId) return;
    reconcileChannelPins(channel.guildId, channel.id, services())
      .then(({ added, removed }) => {
        if (added || removed) logger.info('pins reconciled', { guild: channel.guildId, channel: channel.id, added, removed });
      })
      .catch((error: unknown) => logger.warn('could not reconcile pins', { guild: channel.guildId, channel: channel.id, error: String(error) }));
  });

  client.on(Events.Error, (error) => logger.error('gateway error', { error: error.message }));
  client.on(Events.ShardDisconnect, (event) => logger.warn('gateway disconnected', { code: event.code }));
  client.rest.on('rateLimited', (info) => logger.warn('rate limited', { route: info.route, retryAfterMs: info.retryAfter }));
  // Interaction callbacks wait out a 429 without a 'rateLimited' event; the response event sees every one.
  client.rest.on('response', (request, response) => {
    if (response.status === 429) logger.warn('rate limited', { route: request.route, method: request.method, retryAfter: response.headers.get('retry-after') ?? undefined });
  });

  const ready = new Promise<void>((resolve) =>
    client.once(Events.ClientReady, (readyClient) => {
      logger.info('ready', { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size });
      resolve();
    }),
  );
  logger.info('logging in', { api: config.apiUrl });
  await client.login(config.discordToken);
  await ready;
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}

async function handleInteraction(interaction: Interaction, services: BotServices): Promise<void> {
  const invocation = invocationOf(interaction);
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    const choices = await dispatchAutocomplete(
      { ...invocation, commandName: interaction.commandName, focused: { name: focused.name, value: String(focused.value) }, options: optionsOf(interaction.options.data) },
      services,
    );
    await interaction.respond(choices);
    return;
  }
  if (interaction.isChatInputCommand()) {
    const subcommand = interaction.options.getSubcommand(false);
    const command = { ...invocation, commandName: interaction.commandName, options: optionsOf(interaction.options.data), ...(subcommand && { subcommand }) };
    await answerInteraction(interaction, dispatchCommand(command, services), expectsEphemeralReply(command));
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    const work = dispatchCommand({ ...invocation, commandName: interaction.commandName, options: {}, targetMessage: messageSnapshot(interaction.targetMessage) }, services);
    await answerInteraction(interaction, work, true);
    return;
  }
  if (interaction.isButton()) {
    const work = dispatchComponent({ ...invocation, customId: interaction.customId, message: messageSnapshot(interaction.message) }, services);
    // Button replies (full paragraph, other passages, pin) are for whoever clicked.
    await answerInteraction(interaction, work, true);
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

async function handleMention(message: Message, botUserId: string, services: BotServices): Promise<void> {
  const question = message.content.replaceAll(new RegExp(`<@!?${botUserId}>`, 'g'), ' ').trim();
  const invocation = {
    guildId: message.guildId,
    channelId: message.channelId,
    user: { id: message.author.id, name: message.member?.displayName ?? message.author.globalName ?? message.author.username },
    memberPermissions: message.member?.permissions.bitfield ?? null,
    commandName: 'ask',
    options: {},
  };
  const payload = toMessagePayload(await dispatchMention(question, invocation, services));
  await message.reply({ ...replyOptions(payload), flags: undefined, allowedMentions: { parse: [], repliedUser: false } });
}
