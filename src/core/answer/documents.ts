import type { Claim, Entity, FactKind, Knowledge, Paragraph, Report } from '../knowledge/types.ts';
import type { SearchDocument } from './passage-index.ts';

/** What an indexed document stands for: a paragraph, or a fact citing paragraphs. */
export interface IndexedDocument extends SearchDocument {
  key: string;
  report: Report;
  /** The paragraph whose verbatim text is shown for this document (a fact's first cited one). */
  paragraph: Paragraph;
  /** Every paragraph a fact cites; for a paragraph, its own number. */
  citedParagraphs: number[];
  fact?: { kind: FactKind; id: string; summary: string; claim?: Claim };
}

// Curated keywords help, but must not outweigh the report's own words.
const TEXT_WEIGHT = 1;
const KEYWORD_WEIGHT = 0.5;
const FACT_WEIGHT = 0.8;
const NAME_WEIGHT = 2;
const HEADING_WEIGHT = 0.3;

export function paragraphKey(reportId: string, paragraph: number): string {
  return `${reportId}/p${paragraph}`;
}

/** One document per paragraph and one per structured fact, for every report. */
export function buildDocuments(knowledge: Knowledge): IndexedDocument[] {
  const documents: IndexedDocument[] = [];
  for (const report of knowledge.reports) {
    const paragraphOf = (numbers: number[]): Paragraph => {
      const paragraph = report.paragraphs.find((candidate) => candidate.number === numbers[0]);
      if (!paragraph) throw new Error(`${report.meta.id}: cited paragraph ${numbers[0]} is missing`);
      return paragraph;
    };
    const keywordField = (keywords: string[] | undefined) => ({ text: (keywords ?? []).join(' ; '), weight: KEYWORD_WEIGHT });
    const entityName = (id: string): string => report.facts.entities.find((entity) => entity.id === id)?.name ?? id;

    for (const paragraph of report.paragraphs) {
      documents.push({
        key: paragraphKey(report.meta.id, paragraph.number),
        report,
        paragraph,
        citedParagraphs: [paragraph.number],
        fields: [
          { text: paragraph.text, weight: TEXT_WEIGHT, sentences: true },
          keywordField(paragraph.keywords),
          // A section heading ("Radicalization debunked:") says what the paragraphs under it are
          // about; the title is the heading of the lead paragraph.
          { text: paragraph.section ?? (paragraph.number === 1 ? report.meta.title : ''), weight: HEADING_WEIGHT },
        ],
      });
    }

    const addFact = (
      kind: FactKind,
      id: string,
      paragraphs: number[],
      summary: string,
      keywords: string[] | undefined,
      claim?: Claim,
      name?: string,
    ): void => {
      documents.push({
        key: `${report.meta.id}/${id}`,
        report,
        paragraph: paragraphOf(paragraphs),
        citedParagraphs: paragraphs,
        fact: { kind, id, summary, ...(claim && { claim }) },
        fields: [
          // "Who is Jane Doe?": the entity's own card must outrank every paragraph that merely names him.
          ...(name ? [{ text: name, weight: NAME_WEIGHT }] : []),
          { text: summary, weight: FACT_WEIGHT, sentences: true },
          keywordField(keywords),
        ],
      });
    };

    for (const entity of report.facts.entities) {
      addFact('entity', entity.id, entity.paragraphs, describeEntity(entity), entity.keywords, undefined, `${entity.name} ${entity.role}`);
    }
    for (const arrest of report.facts.arrests) {
      const summary =
        `${arrest.who} arrested ${arrest.when}${arrest.where.startsWith('not stated') ? '' : ` in ${arrest.where}`}` +
        `${arrest.suspicion.startsWith('not stated') ? '' : ` on suspicion of ${arrest.suspicion}`}: ${arrest.status}.`;
      addFact('arrest', arrest.id, arrest.paragraphs, summary, arrest.keywords);
    }
    for (const quote of report.facts.quotes) {
      const summary = `Quote from ${entityName(quote.speaker)}, ${quote.role}${quote.occasion ? `, ${quote.occasion}` : ''}: "${quote.text}"`;
      addFact('quote', quote.id, quote.paragraphs, summary, quote.keywords);
    }
    for (const claim of report.facts.claims) {
      const summary = `Claim (${claim.status}), by ${claim.claimedBy}: ${claim.claim} Evidence, from ${claim.evidenceBy}: ${claim.evidence}`;
      addFact('claim', claim.id, claim.paragraphs, summary, claim.keywords, claim);
    }
    for (const event of report.facts.timeline) {
      addFact('event', event.id, event.paragraphs, `${event.when}: ${event.what}`, event.keywords);
    }
  }
  return documents;
}

function describeEntity(entity: Entity): string {
  const role = entity.role ? `, ${entity.role}` : '';
  return `${entity.name}${role}. ${entity.summary}`;
}

/** The curated vocabulary of every report, merged: one index serves all reports. */
export interface CuratedVocabulary {
  /** Alias phrases folded to one entity token (Smith / Smyth, UN / United Nations). */
  aliases: Array<{ alias: string; entityId: string }>;
  /** A word people use -> words the report uses. */
  synonyms: Map<string, string[]>;
}

export function curatedVocabulary(knowledge: Knowledge): CuratedVocabulary {
  const aliases: CuratedVocabulary['aliases'] = [];
  const synonyms = new Map<string, string[]>();
  for (const report of knowledge.reports) {
    for (const entity of report.facts.entities) {
      for (const alias of new Set([entity.name, ...entity.aliases])) aliases.push({ alias, entityId: entity.id });
    }
    for (const [word, targets] of Object.entries(report.facts.synonyms ?? {})) {
      synonyms.set(word, [...new Set([...(synonyms.get(word) ?? []), ...targets])]);
    }
  }
  return { aliases, synonyms };
}
