import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { automaticNote, CLAIM_MARKS, COLORS } from '../render.ts';
import { allReportsNote, fromReport, REPORT_OPTION, reportChoices, selectReports } from '../report-choice.ts';
import { defineCommand } from '../define-command.ts';

export const claimsCommand = defineCommand({
  data: {
    name: 'claims',
    description: 'Claims against the evidence: who made each, its status, and the evidence or rebuttal.',
    type: ApplicationCommandType.ChatInput,
    options: [REPORT_OPTION],
  },
  async execute(invocation, services) {
    const selection = await selectReports(invocation.options, invocation, services);
    if ('reply' in selection) return selection.reply;
    return {
      ...allReportsNote(selection),
      embeds: selection.reports.map((report) => ({
        title: `Claims and the evidence (${report.facts.claims.length})`,
        color: COLORS.disputed,
        description: `${fromReport(report)}${report.facts.claims.length === 0 ? '\nNo claims have been set against the evidence for this report yet.' : ''}`,
        fields: report.facts.claims.map((claim) => ({
          name: `${CLAIM_MARKS[claim.status]}: ${claim.claim}`,
          value: `**Claimed by:** ${escapeUserText(claim.claimedBy)}\n**Evidence** (${escapeUserText(claim.evidenceBy)}): ${escapeUserText(claim.evidence)}\n*Paragraph ${claim.paragraphs.join(', ')}*`,
        })),
        ...automaticNote(report.facts.claims),
      })),
    };
  },
  async autocomplete(invocation, services) {
    return reportChoices(invocation.focused.value, services);
  },
});
