/**
 * The knowledge a report brings: its verbatim text, split into numbered paragraphs, and the
 * structured facts drawn from it. Every fact cites the paragraph(s) it comes from.
 * On disk: one folder per report under `knowledge/`, holding `report.json` and `facts.json`.
 */

export interface ReportMeta {
  /** Folder name; stable identifier used in custom ids and citations. */
  id: string;
  title: string;
  /** Empty when the report does not say; never invented. */
  outlet: string;
  date: string;
  url: string;
}

/** Who stands behind a paragraph, as curated in `report.json`. */
export interface ParagraphAttribution {
  /** Entity id of the person quoted or reported, when the paragraph is a quote or reports what someone said. */
  speaker?: string;
  /** Occasion of the words, e.g. "in a statement released on Monday afternoon". */
  occasion?: string;
  /** The authority the report leans on: "according to officials", "the newspaper reported". */
  authority?: string;
  /** "automatic" when add-report found it; absent when written or corrected by hand. */
  origin?: 'automatic';
}

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

export type EntityKind = 'person' | 'organisation' | 'place' | 'group';

export interface Entity {
  id: string;
  kind: EntityKind;
  name: string;
  /** Other spellings and names, folded to this entity when searching. */
  aliases: string[];
  /** Role or title as the report gives it ("" when it gives none). */
  role: string;
  /** One line on what the report attributes to them. */
  summary: string;
  paragraphs: number[];
  keywords?: string[];
  origin?: 'automatic';
}

export interface Arrest {
  id: string;
  /** "A 30-year-old man" as the report describes the person. */
  who: string;
  age?: number;
  sex?: 'man' | 'woman';
  /** Number of people when one entry covers a group ("nine people"). */
  count?: number;
  where: string;
  when: string;
  suspicion: string;
  status: string;
  paragraphs: number[];
  keywords?: string[];
  origin?: 'automatic';
}

export interface Quote {
  id: string;
  /** Entity id. */
  speaker: string;
  role: string;
  /** Verbatim words; must appear in the cited paragraph after normalising quotes and spaces. */
  text: string;
  occasion: string;
  paragraphs: number[];
  keywords?: string[];
  origin?: 'automatic';
}

export type ClaimStatus = 'disputed' | 'unproven' | 'speculation' | 'confirmed';

export interface Claim {
  id: string;
  claim: string;
  /** Who made the claim, as the report puts it. */
  claimedBy: string;
  status: ClaimStatus;
  /** The evidence or rebuttal, with its attribution. */
  evidence: string;
  evidenceBy: string;
  paragraphs: number[];
  keywords?: string[];
  origin?: 'automatic';
}

export interface TimelineEvent {
  id: string;
  /** Relative date as the report gives it ("one day after the attack", "last Thursday"). */
  when: string;
  what: string;
  paragraphs: number[];
  keywords?: string[];
  origin?: 'automatic';
}

export interface ReportFacts {
  entities: Entity[];
  arrests: Arrest[];
  quotes: Quote[];
  claims: Claim[];
  timeline: TimelineEvent[];
  /** Questions the report answers well: offered by autocomplete and when a question is not covered. */
  suggestedQuestions: string[];
  /** Curated synonyms: a word people use -> words the report uses. */
  synonyms?: Record<string, string[]>;
  /** Ids of automatic facts a curator removed (kept so a re-import leaves them out). */
  rejected?: string[];
}

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
