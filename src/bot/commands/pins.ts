import { ApplicationCommandType, InteractionContextType } from 'discord-api-types/v10';
import { reconcileChannelPins } from '../pins.ts';
import { errorReply, escapeUserText, privateReply } from '../reply.ts';
import { COLORS } from '../render.ts';
import { defineCommand } from '../define-command.ts';
import { describeError } from '../../core/errors.ts';

export const pinsCommand = defineCommand({
  data: {
    name: 'pins',
    description: "The server's pinned answers, with links.",
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
  },
  async execute(invocation, services) {
    if (!invocation.guildId) return errorReply('Pinned answers belong to a server; use /pins in a server channel.');
    // Pins made or removed by hand in this channel's pin menu are picked up first.
    if (invocation.channelId) {
      await reconcileChannelPins(invocation.guildId, invocation.channelId, services).catch((error: unknown) =>
        services.logger.warn('could not read the channel pins', {
          guild: invocation.guildId,
          channel: invocation.channelId,
          error: describeError(error),
        }),
      );
    }
    const pins = await services.store.listPins(invocation.guildId);
    if (pins.length === 0) return privateReply('No answers are pinned yet. Moderators can pin an answer with its **Pin** button.');
    return {
      embeds: [
        {
          title: `Pinned answers (${pins.length})`,
          color: COLORS.pinned,
          description: pins
            .map((pin) => {
              const paragraph = services.library.hitsForKeys([pin.answerKey])[0]?.paragraph;
              const where = paragraph === undefined ? '' : ` · ¶${paragraph}`;
              return `📌 [${escapeUserText(pin.question)}](${services.discord.messageUrl(pin.guildId, pin.channelId, pin.messageId)})${where} · ${pin.pinnedAt.slice(0, 10)}`;
            })
            .join('\n'),
        },
      ],
    };
  },
});
