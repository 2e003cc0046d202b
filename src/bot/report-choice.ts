import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type APIApplicationCommandOptionChoice,
  type APIEmbed,
  type APIApplicationCommandStringOption,
} from 'discord-api-types/v10';
import type { Report } from '../core/knowledge/types.ts';
import { foldForMatching } from '../core/text.ts';
import { errorReply, escapeUserText, LIMITS } from './reply.ts';
import { defineCommand } from './define-command.ts';
import type { BotReply, BotServices, Command, Invocation } from './types.ts';

/** The `report:` option every report-specific command takes, with autocomplete over the loaded reports. */
export const REPORT_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'report',
  description: 'Which report (default: this channel’s)',
  autocomplete: true,
} as const satisfies APIApplicationCommandStringOption;

/** The reports this channel asks about first: its own default, then the server's. */
export async function preferredReports(invocation: Invocation, services: BotServices): Promise<string[]> {
  if (!invocation.guildId) return [];
  const defaults = await services.store.getDefaultReports(invocation.guildId, invocation.channelId);
  return [...new Set([defaults.channel, defaults.server])].filter(
    (id): id is string => id !== undefined && services.library.findReport(id) !== undefined,
  );
}

/** A report named by id or by title, as typed or as autocomplete chose it. */
export function findReportByName(services: BotServices, name: string): Report | undefined {
  const wanted = foldForMatching(name.trim());
  const reports = services.library.reports;
  return (
    reports.find((report) => report.meta.id === name.trim()) ?? reports.find((report) => foldForMatching(report.meta.title) === wanted)
  );
}

export function unknownReport(services: BotServices, name: string): BotReply {
  const known = services.library.reports.map((report) => `\`${report.meta.id}\``).join(', ');
  return errorReply(`No report is called “${escapeUserText(name)}”. The reports are: ${known || 'none'}. See /reports.`);
}

export type ReportSelection = { reports: readonly Report[]; chosen: boolean } | { reply: BotReply };

/**
 * Which reports a command shows: the one named in `report:`; else the channel's (or server's)
 * default; else the only report; else all of them, each section named.
 */
export async function selectReports(
  options: { report?: unknown },
  invocation: Invocation,
  services: BotServices,
): Promise<ReportSelection> {
  const named = typeof options.report === 'string' && options.report.trim() ? options.report : undefined;
  if (named) {
    const report = findReportByName(services, named);
    return report ? { reports: [report], chosen: true } : { reply: unknownReport(services, named) };
  }
  const [preferred] = await preferredReports(invocation, services);
  const report = preferred ? services.library.findReport(preferred) : undefined;
  if (report) return { reports: [report], chosen: true };
  const all = services.library.reports;
  return { reports: all, chosen: all.length === 1 };
}

/** Autocomplete for `report:`: ids and titles that contain what was typed. */
export function reportChoices(typed: string, services: BotServices): APIApplicationCommandOptionChoice[] {
  const wanted = foldForMatching(typed.trim());
  return services.library.reports
    .filter((report) => !wanted || foldForMatching(`${report.meta.id} ${report.meta.title}`).includes(wanted))
    .slice(0, LIMITS.choices)
    .map((report) => ({ name: truncateName(report.meta.title), value: report.meta.id }));
}

function truncateName(title: string): string {
  return title.length <= LIMITS.choiceName ? title : `${title.slice(0, LIMITS.choiceName - 1)}…`;
}

/** "From *Title*": the line that names the report of a list or an answer. */
export function fromReport(report: Report): string {
  return `From *${escapeUserText(report.meta.title)}*`;
}

/** Said above lists that show every report because none was chosen. */
export function allReportsNote(selection: { reports: readonly Report[]; chosen: boolean }): { content?: string } {
  if (selection.chosen || selection.reports.length < 2) return {};
  return {
    content: `All ${selection.reports.length} reports: add report: to see one in full (moderators can set this channel’s report with /report use).`,
  };
}

/**
 * A command that shows one section per report (timeline, arrests, claims): it takes `report:`,
 * shows the chosen report, the channel's, or every report, and autocompletes report names.
 */
export function perReportCommand(spec: { name: string; description: string; embedFor(report: Report): APIEmbed }): Command {
  return defineCommand({
    data: { name: spec.name, description: spec.description, type: ApplicationCommandType.ChatInput, options: [REPORT_OPTION] },
    async execute(invocation, services) {
      const selection = await selectReports(invocation.options, invocation, services);
      if ('reply' in selection) return selection.reply;
      return { ...allReportsNote(selection), embeds: selection.reports.map(spec.embedFor) };
    },
    async autocomplete(invocation, services) {
      return reportChoices(invocation.focused.value, services);
    },
  });
}
