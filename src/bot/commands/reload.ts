import { ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { canManageServer } from '../permissions.ts';
import { defineCommand } from '../define-command.ts';
import { errorReply, privateReply } from '../reply.ts';

/** Moderators: read the knowledge folder again now (it is also watched, and reread on SIGHUP). */
export const reloadCommand = defineCommand({
  data: {
    name: 'reload',
    description: 'Moderators: read the reports again (new or edited reports are also picked up by themselves).',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  },
  async execute(invocation, services) {
    if (!canManageServer(invocation.memberPermissions)) return errorReply('Only moderators with Manage Server can reload the reports.');
    if (!services.reloadKnowledge) return errorReply('Reloading is not available here.');
    const outcome = await services.reloadKnowledge();
    return outcome.ok ? privateReply(outcome.message) : errorReply(outcome.message);
  },
});
