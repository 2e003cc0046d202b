import type { FactsFile, ReportFile } from '../knowledge/schema.ts';
import { foldForMatching } from '../text.ts';

export interface KnowledgeFiles {
  report: ReportFile;
  facts: FactsFile;
}

type Collection = 'entities' | 'arrests' | 'quotes' | 'claims' | 'timeline';
const COLLECTIONS: readonly Collection[] = ['entities', 'arrests', 'quotes', 'claims', 'timeline'];

/**
 * A re-import of a report already in the knowledge: what was written or corrected by hand (no
 * `origin`) wins over what was found again, rejected facts stay out, and the rest is the fresh find.
 */
export function keepCuration(fresh: KnowledgeFiles, existing: Partial<KnowledgeFiles> | undefined): KnowledgeFiles {
  if (!existing?.facts && !existing?.report) return fresh;
  const facts = existing.facts ? mergeFacts(fresh.facts, existing.facts) : fresh.facts;
  const report = existing.report ? mergeReport(fresh.report, existing.report) : fresh.report;
  const entityIds = new Set(facts.entities.map((entity) => entity.id));
  // An automatic attribution may name an automatic entity the curation replaced.
  const renamed = renamedEntities(fresh.facts, facts);
  for (const block of report.blocks) {
    if (!('paragraph' in block) || block.attribution?.origin !== 'automatic' || !block.attribution.speaker) continue;
    const speaker = renamed.get(block.attribution.speaker) ?? block.attribution.speaker;
    if (entityIds.has(speaker)) block.attribution.speaker = speaker;
    else delete block.attribution.speaker;
  }
  return { report, facts };
}

function isHandMade(item: { origin?: 'automatic' }): boolean {
  return item.origin !== 'automatic';
}

function mergeFacts(fresh: FactsFile, existing: FactsFile): FactsFile {
  const rejected = new Set(existing.rejected ?? []);
  const handNames = new Map<string, string>();
  for (const entity of existing.entities.filter(isHandMade)) {
    for (const name of [entity.name, ...entity.aliases]) handNames.set(foldForMatching(name), entity.id);
  }
  const merged = { ...fresh, rejected: existing.rejected, synonyms: existing.synonyms } as FactsFile;
  for (const collection of COLLECTIONS) {
    const hand = (existing[collection] as Array<{ id: string; origin?: 'automatic' }>).filter(isHandMade);
    const handIds = new Set(hand.map((item) => item.id));
    const found = (fresh[collection] as Array<{ id: string; name?: string }>).filter(
      (item) =>
        !handIds.has(item.id) &&
        !rejected.has(item.id) &&
        !(collection === 'entities' && item.name !== undefined && handNames.has(foldForMatching(item.name))),
    );
    (merged[collection] as unknown[]) = [...hand, ...found];
  }
  const renamed = renamedEntities(fresh, merged);
  const entityIds = new Set(merged.entities.map((entity) => entity.id));
  merged.quotes = merged.quotes
    .map((quote) => (quote.origin === 'automatic' ? { ...quote, speaker: renamed.get(quote.speaker) ?? quote.speaker } : quote))
    .filter((quote) => entityIds.has(quote.speaker));
  merged.suggestedQuestions = [...new Set([...existing.suggestedQuestions, ...fresh.suggestedQuestions])];
  if (merged.rejected === undefined) delete merged.rejected;
  if (merged.synonyms === undefined) delete merged.synonyms;
  return merged;
}

/** Automatic entity ids that a hand-made entity of the same name replaced, old id -> hand id. */
function renamedEntities(fresh: FactsFile, merged: FactsFile): Map<string, string> {
  const byName = new Map<string, string>();
  for (const entity of merged.entities) for (const name of [entity.name, ...entity.aliases]) byName.set(foldForMatching(name), entity.id);
  const renamed = new Map<string, string>();
  for (const entity of fresh.entities) {
    const owner = byName.get(foldForMatching(entity.name));
    if (owner !== undefined && owner !== entity.id) renamed.set(entity.id, owner);
  }
  return renamed;
}

/** Paragraphs come from the fresh read; a hand-made attribution or keywords stay on the paragraph with the same text. */
function mergeReport(fresh: ReportFile, existing: ReportFile): ReportFile {
  const curated = new Map<
    string,
    { attribution?: NonNullable<Extract<ReportFile['blocks'][number], { paragraph: number }>['attribution']>; keywords?: string[] }
  >();
  for (const block of existing.blocks) {
    if (!('paragraph' in block)) continue;
    curated.set(block.text, {
      ...(block.attribution && isHandMade(block.attribution) && { attribution: block.attribution }),
      ...(block.keywords && { keywords: block.keywords }),
    });
  }
  return {
    id: existing.id,
    title: existing.title || fresh.title,
    outlet: existing.outlet || fresh.outlet,
    date: existing.date || fresh.date,
    url: existing.url || fresh.url,
    blocks: fresh.blocks.map((block) => ('paragraph' in block ? { ...block, ...curated.get(block.text) } : block)),
  };
}
