import { ApplicationCommandType } from 'discord-api-types/v10';
import { escapeUserText } from '../reply.ts';
import { CLAIM_MARKS, COLORS } from '../render.ts';
import type { Command } from '../types.ts';

export const claimsCommand: Command = {
  data: { name: 'claims', description: 'Claims against the evidence: who made each, its status, and the evidence or rebuttal.', type: ApplicationCommandType.ChatInput },
  async execute(_invocation, services) {
    return {
      embeds: services.engine.knowledge.reports.map((report) => ({
        title: `Claims and the evidence (${report.facts.claims.length})`,
        color: COLORS.disputed,
        fields: report.facts.claims.map((claim) => ({
          name: `${CLAIM_MARKS[claim.status]}: ${claim.claim}`,
          value: `**Claimed by:** ${escapeUserText(claim.claimedBy)}\n**Evidence** (${escapeUserText(claim.evidenceBy)}): ${escapeUserText(claim.evidence)}\n*Paragraph ${claim.paragraphs.join(', ')}*`,
        })),
      })),
    };
  },
};
