import type { Hit } from '../answer-types.ts';
import type { Paragraph, Report } from '../knowledge/types.ts';
import { aliasesIn, ENTITY_PREFIX, foldForMatching, STOP_WORDS, termOf } from '../text.ts';
import { paragraphKey, type IndexedDocument } from './documents.ts';
import type { PassageIndex } from './passage-index.ts';
import type { Candidate } from './retrieve.ts';

export const MAX_HITS = 5;
/** Further hits are shown only if they are reasonably close to the best one. */
const MIN_RELATIVE_SCORE = 0.3;

/** Up to MAX_HITS passages, one per paragraph, close enough to the best one. */
export function hitsFrom(
  ranked: readonly Candidate[],
  documents: readonly IndexedDocument[],
  index: PassageIndex,
  onlyNames: boolean,
): Hit[] {
  const top = ranked[0];
  if (!top) return [];
  const hits: Hit[] = [];
  const shownParagraphs = new Set<string>();
  const paragraphScores = new Map<string, number>();
  for (const candidate of ranked) {
    const document = documents[candidate.doc];
    if (document && !document.fact) paragraphScores.set(paragraphKey(document.report.meta.id, document.paragraph.number), candidate.score);
  }
  for (const candidate of ranked) {
    if (hits.length >= MAX_HITS) break;
    if (candidate.score < top.score * MIN_RELATIVE_SCORE) continue;
    const found = documents[candidate.doc];
    if (!found) continue;
    // "Who is X?": the paragraph that introduces X (an entity's first), not the one that names X most.
    const introduces = onlyNames && found.fact?.kind === 'entity';
    const document = introduces ? found : { ...found, paragraph: bestCitedParagraph(found, paragraphScores) };
    // One hit per paragraph: a fact and the paragraph it cites would show the same passage twice.
    const shown = paragraphKey(document.report.meta.id, document.paragraph.number);
    if (shownParagraphs.has(shown)) continue;
    shownParagraphs.add(shown);
    hits.push(toHit(document, candidate, top, index));
  }
  return hits;
}

/** Of the paragraphs a fact cites, the one the question matches best is the passage to show. */
function bestCitedParagraph(document: IndexedDocument, paragraphScores: ReadonlyMap<string, number>): Paragraph {
  if (document.citedParagraphs.length < 2) return document.paragraph;
  const { report } = document;
  let best = document.paragraph;
  let bestScore = paragraphScores.get(paragraphKey(report.meta.id, best.number)) ?? 0;
  for (const number of document.citedParagraphs) {
    const score = paragraphScores.get(paragraphKey(report.meta.id, number)) ?? 0;
    const paragraph = report.paragraphs.find((candidate) => candidate.number === number);
    if (paragraph && score > bestScore) {
      best = paragraph;
      bestScore = score;
    }
  }
  return best;
}

export function toHit(document: IndexedDocument, ranked: Candidate, top: Candidate | undefined, index?: PassageIndex): Hit {
  const { report, paragraph, fact } = document;
  const claim = fact?.claim ?? report.facts.claims.find((candidate) => candidate.paragraphs[0] === paragraph.number);
  const attribution = fact?.kind === 'quote' ? quoteAttribution(report, fact.id) : paragraphAttribution(report, paragraph);
  const confidence = top ? ranked.coverage * Math.min(1, ranked.score / Math.max(top.score, 1e-9)) : 1;
  return {
    kind: fact ? 'fact' : 'paragraph',
    ...(fact && { factKind: fact.kind, factId: fact.id, summary: fact.summary }),
    key: document.key,
    report: report.meta.id,
    reportTitle: report.meta.title,
    reportUrl: report.meta.url,
    paragraph: paragraph.number,
    passage: paragraph.text,
    attribution: attribution.line,
    ...(attribution.speaker && { speaker: attribution.speaker }),
    ...(claim &&
      claim.status !== 'confirmed' && {
        claimStatus: claim.status,
        claim: { text: claim.claim, claimedBy: claim.claimedBy, evidence: claim.evidence, evidenceBy: claim.evidenceBy },
      }),
    highlights: index ? highlightsIn(paragraph.text, new Set(ranked.matchedTerms), index) : [],
    score: Math.round(ranked.score * 1000) / 1000,
    confidence: Math.round(confidence * 100) / 100,
  };
}

interface Attribution {
  line: string;
  speaker?: { name: string; role: string };
}

function quoteAttribution(report: Report, quoteId: string): Attribution {
  const quote = report.facts.quotes.find((candidate) => candidate.id === quoteId);
  const speaker = quote && report.facts.entities.find((entity) => entity.id === quote.speaker);
  if (!quote || !speaker) return { line: 'the report' };
  return { line: [speaker.name, quote.role, quote.occasion].filter(Boolean).join(', '), speaker: { name: speaker.name, role: quote.role } };
}

/** "Jane Doe, fire chief, at a news conference on Monday"; "according to officials"; "the report". */
function paragraphAttribution(report: Report, paragraph: Paragraph): Attribution {
  const { speaker: speakerId, occasion, authority } = paragraph.attribution ?? {};
  const speaker = speakerId ? report.facts.entities.find((entity) => entity.id === speakerId) : undefined;
  const parts: string[] = [];
  if (speaker) parts.push([speaker.name, speaker.role, occasion].filter(Boolean).join(', '));
  if (authority) parts.push(authority);
  if (parts.length === 0) return { line: 'the report (no source named)' };
  return { line: parts.join('; '), ...(speaker && { speaker: { name: speaker.name, role: speaker.role } }) };
}

/** Words and alias phrases of the passage (original spelling) whose term the question matched. */
function highlightsIn(passage: string, matchedTerms: ReadonlySet<string>, index: PassageIndex): string[] {
  if (matchedTerms.size === 0) return [];
  const found = new Set<string>();
  for (const { written, entityId } of passageAliases(passage, index))
    if (matchedTerms.has(`${ENTITY_PREFIX}${entityId}`)) found.add(written);
  for (const { written, term } of passageWords(passage)) if (matchedTerms.has(term)) found.add(written);
  return [...found];
}

const passageAliasCache = new Map<string, ReadonlyArray<{ written: string; entityId: string }>>();

/** A passage's alias phrases as written, with their entity: worked out once per passage. */
function passageAliases(passage: string, index: PassageIndex): ReadonlyArray<{ written: string; entityId: string }> {
  let aliases = passageAliasCache.get(passage);
  if (!aliases) {
    const folded = foldForMatching(passage);
    // Folding keeps the length of most text (quotes and spaces map one to one): offsets then point at the same characters.
    aliases =
      folded.length === passage.length
        ? aliasesIn(folded, index.aliases).map((alias) => ({
            written: passage.slice(alias.index, alias.index + alias.text.length),
            entityId: alias.entityId,
          }))
        : [];
    if (passageAliasCache.size >= PASSAGE_CACHE_LIMIT) passageAliasCache.clear();
    passageAliasCache.set(passage, aliases);
  }
  return aliases;
}

const passageWordCache = new Map<string, ReadonlyArray<{ written: string; term: string }>>();
const PASSAGE_CACHE_LIMIT = 5_000;

/** A passage's content words as written, with their terms: passages are fixed, and shown again and again. */
function passageWords(passage: string): ReadonlyArray<{ written: string; term: string }> {
  let words = passageWordCache.get(passage);
  if (!words) {
    words = [...passage.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)].flatMap((match) => {
      const word = foldForMatching(match[0]).replace(/'s$/, '');
      return STOP_WORDS.has(word) ? [] : [{ written: match[0], term: termOf(word) }];
    });
    if (passageWordCache.size >= PASSAGE_CACHE_LIMIT) passageWordCache.clear();
    passageWordCache.set(passage, words);
  }
  return words;
}
