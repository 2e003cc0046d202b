import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandStringOption,
} from 'discord-api-types/v10';
import { canManageChannel, canManageServer } from '../permissions.ts';
import { errorReply, escapeUserText, privateReply } from '../reply.ts';
import { findReportByName, REPORT_OPTION, reportChoices, unknownReport } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

const SCOPE_OPTION: APIApplicationCommandStringOption = {
  type: ApplicationCommandOptionType.String,
  name: 'for',
  description: 'This channel (default) or the whole server',
  choices: [
    { name: 'this channel', value: 'channel' },
    { name: 'the whole server', value: 'server' },
  ],
};

/** Moderators choose the report a channel (or the whole server) asks about first. */
export const reportCommand = defineCommand({
  data: {
    name: 'report',
    description: 'Moderators: choose the report this channel or server asks about first.',
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild],
    default_member_permissions: PermissionFlagsBits.ManageChannels.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'use',
        description: 'Questions here go to this report first, then to the others.',
        options: [{ ...REPORT_OPTION, description: 'The report', required: true }, SCOPE_OPTION],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'clear',
        description: 'No default here: each question goes to the report that answers it best.',
        options: [SCOPE_OPTION],
      },
    ],
  },
  async execute(invocation, services) {
    if (!invocation.guildId) return errorReply('Default reports are set per server channel; use /report in a server.');
    const scope = invocation.options.for === 'server' ? 'server' : 'channel';
    const allowed = scope === 'server' ? canManageServer(invocation.memberPermissions) : canManageChannel(invocation.memberPermissions);
    if (!allowed)
      return errorReply(
        `Only moderators can choose the ${scope}'s report (it takes ${scope === 'server' ? 'Manage Server' : 'Manage Channels'}).`,
      );
    const channelId = scope === 'server' ? null : invocation.channelId;
    const where = scope === 'server' ? 'this server' : 'this channel';
    if (invocation.subcommand === 'clear') {
      await services.store.setDefaultReport(invocation.guildId, channelId, null, invocation.user.id, new Date());
      return privateReply(`${where[0]?.toUpperCase()}${where.slice(1)} has no default report now.`);
    }
    const name = invocation.options.report?.trim() ?? '';
    if (!name) return errorReply('Say which report: /report use report:<id> (see /reports).');
    const report = findReportByName(services, name);
    if (!report) return unknownReport(services, name);
    await services.store.setDefaultReport(invocation.guildId, channelId, report.meta.id, invocation.user.id, new Date());
    return privateReply(`Questions in ${where} now go to *${escapeUserText(report.meta.title)}* first, then to the other reports.`);
  },
  async autocomplete(invocation, services) {
    return reportChoices(invocation.focused.value, services);
  },
});
