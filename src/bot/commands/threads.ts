import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { canManageServer } from '../permissions.ts';
import { errorReply, privateReply } from '../reply.ts';
import { defineCommand } from '../define-command.ts';
import { THREAD_REPLIES_SETTING, threadReplies } from '../threads.ts';

/** `/threads replies:all`: in threads started from answers, every message is a question, not only mentions. */
export const threadsCommand = defineCommand({
  data: {
    name: 'threads',
    description: 'Moderators: in threads started from answers, answer every message or only mentions of the bot.',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'replies',
        description: 'What the bot answers in its threads',
        choices: [
          { name: 'Only messages that mention the bot (default)', value: 'mentions' },
          { name: 'Every message in the thread', value: 'all' },
        ],
      },
    ],
  },
  async execute(invocation, services) {
    if (!invocation.guildId) return errorReply('Use /threads in a server channel.');
    const wanted = invocation.options.replies;
    if (wanted === undefined) {
      const current = await threadReplies(services, invocation.guildId);
      return privateReply(`In threads started from answers I answer ${current === 'all' ? 'every message' : 'messages that mention me'}.`);
    }
    if (!canManageServer(invocation.memberPermissions)) return errorReply('Only moderators with Manage Server can change this.');
    const all = wanted === 'all';
    await services.store.setGuildSetting(invocation.guildId, THREAD_REPLIES_SETTING, all ? 'all' : null, invocation.user.id, new Date());
    return privateReply(
      all
        ? 'From now on I answer every message in threads started from answers. (This needs the bot’s Message Content intent, which the operator turns on with MESSAGE_CONTENT_INTENT=true and in the Developer Portal; without it I still answer mentions.)'
        : 'From now on I answer only messages that mention me in threads started from answers.',
    );
  },
});
