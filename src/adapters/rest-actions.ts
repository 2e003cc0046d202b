import { DiscordAPIError, HTTPError, Routes, type REST } from 'discord.js';
import { ComponentType, type APIMessage } from 'discord-api-types/v10';
import { DiscordActionError, type ActionRow, type DiscordActions, type MessageSnapshot } from '../bot/types.ts';

/** Discord's REST answers become DiscordActionError, so handlers can explain a 403 without knowing discord.js. */
async function call<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof DiscordAPIError)
      throw new DiscordActionError(error.message, error.status, typeof error.code === 'number' ? error.code : undefined);
    if (error instanceof HTTPError) throw new DiscordActionError(error.message, error.status, undefined);
    throw error;
  }
}

export function snapshotOf(message: APIMessage): MessageSnapshot {
  const rows = (message.components ?? []).filter((row): row is ActionRow => row.type === ComponentType.ActionRow);
  return {
    id: message.id,
    channelId: message.channel_id,
    authorId: message.author.id,
    content: message.content,
    embeds: message.embeds,
    components: rows,
    buttonIds: (message.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((component) =>
            'custom_id' in component && typeof component.custom_id === 'string' ? [component.custom_id] : [],
          )
        : [],
    ),
  };
}

/** A thread started from an answer archives itself after a day without messages (Discord's default). */
const THREAD_ARCHIVE_MINUTES = 1440;

/** Pins through Discord's REST API: used by the gateway client and by the HTTP interactions mode. */
export function restActions(rest: REST): DiscordActions {
  return {
    pinMessage: (channelId, messageId) => call(async () => void (await rest.put(Routes.channelMessagesPin(channelId, messageId)))),
    unpinMessage: (channelId, messageId) => call(async () => void (await rest.delete(Routes.channelMessagesPin(channelId, messageId)))),
    listPinnedMessages: (channelId) =>
      call(async () => {
        const page = (await rest.get(Routes.channelMessagesPins(channelId))) as { items: Array<{ message: APIMessage }> };
        return page.items.map((item) => snapshotOf(item.message));
      }),
    startThread: (channelId, messageId, name) =>
      call(async () => {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: THREAD_ARCHIVE_MINUTES },
        })) as { id: string };
        return thread.id;
      }),
    messageUrl: (guildId, channelId, messageId) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`,
  };
}
