import { escapeUserText } from '../reply.ts';
import { automaticNote, CLAIM_MARKS, COLORS } from '../render.ts';
import { fromReport, perReportCommand } from '../report-choice.ts';

export const claimsCommand = perReportCommand({
  name: 'claims',
  description: 'Claims against the evidence: who made each, its status, and the evidence or rebuttal.',
  embedFor: (report) => ({
    title: `Claims and the evidence (${report.facts.claims.length})`,
    color: COLORS.disputed,
    description: `${fromReport(report)}${report.facts.claims.length === 0 ? '\nNo claims have been set against the evidence for this report yet.' : ''}`,
    fields: report.facts.claims.map((claim) => ({
      name: `${CLAIM_MARKS[claim.status]}: ${claim.claim}`,
      value: `**Claimed by:** ${escapeUserText(claim.claimedBy)}\n**Evidence** (${escapeUserText(claim.evidenceBy)}): ${escapeUserText(claim.evidence)}\n*Paragraph ${claim.paragraphs.join(', ')}*`,
    })),
    ...automaticNote(report.facts.claims),
  }),
});
