import type { FactsFile, ReportFile } from './schema.ts';

/**
 * The knowledge a report brings: its verbatim text, split into numbered paragraphs, and the
 * structured facts drawn from it. Every fact cites the paragraph(s) it comes from.
 * On disk: one folder per report under `knowledge/`, holding `source.txt`, `report.json` and
 * `facts.json`. The shapes of the files are the zod schema's (`schema.ts`); the types of the
 * facts are inferred from it, so the two cannot drift apart.
 */

/** Folder name (`id`) and what the report says of itself; empty strings where it does not say, never invented. */
export type ReportMeta = Pick<ReportFile, 'id' | 'title' | 'outlet' | 'date' | 'url'>;

type ParagraphBlock = Extract<ReportFile['blocks'][number], { paragraph: number }>;

/** Who stands behind a paragraph: a speaker (entity id), the occasion, the authority ("according to officials"). */
export type ParagraphAttribution = NonNullable<ParagraphBlock['attribution']>;

export interface Paragraph {
  /** 1-based paragraph number in the report (headings are not counted). */
  number: number;
  /** Verbatim text, including the report's non-breaking spaces and curly quotes. */
  text: string;
  /** Heading of the section the paragraph sits in, if any. */
  section?: string;
  attribution?: ParagraphAttribution;
  /** Words people would use that the report does not (curated). */
  keywords?: string[];
}

export type ReportBlock = { kind: 'heading'; text: string } | ({ kind: 'paragraph' } & Paragraph);

export type ReportFacts = FactsFile;
export type Entity = FactsFile['entities'][number];
export type EntityKind = Entity['kind'];
export type Arrest = FactsFile['arrests'][number];
export type Quote = FactsFile['quotes'][number];
export type Claim = FactsFile['claims'][number];
export type ClaimStatus = Claim['status'];
export type TimelineEvent = FactsFile['timeline'][number];

export interface Report {
  meta: ReportMeta;
  blocks: ReportBlock[];
  paragraphs: Paragraph[];
  facts: ReportFacts;
}

export interface Knowledge {
  reports: Report[];
}

export type FactKind = 'entity' | 'arrest' | 'quote' | 'claim' | 'event';
