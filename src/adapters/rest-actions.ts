import { DiscordAPIError, HTTPError, Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import { DiscordActionError, type DiscordActions, type MessageSnapshot } from '../bot/types.ts';

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
  return {
    id: message.id,
    channelId: message.channel_id,
    authorId: message.author.id,
    content: message.content,
    embeds: message.embeds,
    buttonIds: (message.components ?? []).flatMap((row) =>
      'components' in row
        ? row.components.flatMap((component) =>
            'custom_id' in component && typeof component.custom_id === 'string' ? [component.custom_id] : [],
          )
        : [],
    ),
  };
}

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
    messageUrl: (guildId, channelId, messageId) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`,
  };
}
