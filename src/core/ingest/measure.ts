import type { Report } from '../knowledge/types.ts';
import { foldForMatching, STOP_WORDS } from '../text.ts';
import type { KnowledgeFiles } from './merge.ts';

/**
 * How well ingestion found a report's structure, against a ground truth written by hand (the
 * curated Westminster knowledge, or the expected facts written with a test report).
 */
export interface IngestTruth {
  paragraphs: string[] | number;
  headings: string[];
  people: Array<{ name: string; role?: string; aliases?: string[] }>;
  organisations: Array<{ name: string; role?: string; aliases?: string[] }>;
  quotes: Array<{ paragraph: number; speaker: string; text: string }>;
  attributions: Array<{ paragraph: number; speaker: string | null; authority: string | null }>;
  arrests: Array<{
    paragraph: number;
    age: number | null;
    sex: string | null;
    count: number | null;
    where: string | null;
    when: string | null;
    suspicion: string | null;
    status: string | null;
  }>;
}

export interface Score {
  found: number;
  of: number;
}

export interface IngestScores {
  paragraphs: Score;
  headings: Score;
  quotesWithSpeaker: Score;
  entities: Score;
  entitiesWithRole: Score;
  attributions: Score;
  arrests: Score;
  /** Arrest fields (where, when, suspicion, status) that agree, over the arrests found. */
  arrestFields: Score;
}

const ARREST_FIELDS = ['where', 'when', 'suspicion', 'status'] as const;
/** Words every attribution has, which say nothing about who stands behind it. */
const ATTRIBUTION_WORDS = new Set([
  'according',
  'said',
  'says',
  'reported',
  'confirmed',
  'told',
  'statement',
  'stated',
  'not',
  'report',
  'names',
  'source',
]);

function contentWords(text: string | null | undefined): Set<string> {
  return new Set(
    foldForMatching(text ?? '')
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word) && !ATTRIBUTION_WORDS.has(word))
      .map((word) => word.replace(/s$/, '')),
  );
}

function overlap(a: Set<string>, b: Set<string>): boolean {
  return [...a].some((word) => b.has(word));
}

function comparable(text: string): string {
  return foldForMatching(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^(?:the|a|an) /, '');
}

const NOT_GIVEN = /^not (?:stated|given)/i;

function fieldAgrees(expected: string | null, found: string | undefined): boolean {
  const given = (value: string | null | undefined): string => (value && !NOT_GIVEN.test(value) ? value : '');
  const a = given(expected);
  const b = given(found);
  if (!a || !b) return !a && !b;
  return overlap(contentWords(a), contentWords(b));
}

export function scoreIngestion(truth: IngestTruth, files: KnowledgeFiles): IngestScores {
  const blocks = files.report.blocks;
  const paragraphs = blocks.flatMap((block) => ('paragraph' in block ? [block] : []));
  const headings = blocks.flatMap((block) => ('heading' in block ? [block.heading] : []));
  const { entities, quotes, arrests } = files.facts;
  const namesOf = (id: string | undefined): Set<string> => {
    const entity = entities.find((candidate) => candidate.id === id);
    return new Set(entity ? [entity.name, ...entity.aliases].map(comparable) : []);
  };
  const truthEntities = [...truth.people, ...truth.organisations];
  const truthNames = (name: string): Set<string> => {
    const entity = truthEntities.find((candidate) => candidate.name === name);
    return new Set([name, ...(entity?.aliases ?? [])].map(comparable));
  };

  const paragraphScore: Score =
    typeof truth.paragraphs === 'number'
      ? { found: Math.min(truth.paragraphs, paragraphs.length) - Math.abs(truth.paragraphs - paragraphs.length), of: truth.paragraphs }
      : { found: truth.paragraphs.filter((text, index) => paragraphs[index]?.text === text).length, of: truth.paragraphs.length };

  const quotesWithSpeaker = truth.quotes.filter((expected) =>
    quotes.some((quote) => {
      if (!quote.paragraphs.includes(expected.paragraph)) return false;
      const [a, b] = [comparable(quote.text), comparable(expected.text)];
      return (a.includes(b) || b.includes(a)) && overlap(namesOf(quote.speaker), truthNames(expected.speaker));
    }),
  ).length;

  const matchedEntities = truthEntities.map((expected) => {
    const names = truthNames(expected.name);
    return { expected, found: entities.find((entity) => overlap(new Set([entity.name, ...entity.aliases].map(comparable)), names)) };
  });
  const withRole = matchedEntities.filter(
    ({ expected, found }) => found && (!expected.role || overlap(contentWords(expected.role), contentWords(found.role))),
  ).length;

  const attributions = truth.attributions.filter((expected) => {
    const found = paragraphs[expected.paragraph - 1]?.attribution;
    const truthParty = new Set(
      [...(expected.speaker ? truthNames(expected.speaker) : []), ...contentWords(expected.authority)].flatMap((name) => [
        ...contentWords(name),
      ]),
    );
    const foundParty = new Set([...namesOf(found?.speaker), found?.authority ?? ''].flatMap((name) => [...contentWords(name)]));
    if (truthParty.size === 0 || foundParty.size === 0) return truthParty.size === 0 && foundParty.size === 0;
    return overlap(truthParty, foundParty);
  }).length;

  let arrestsFound = 0;
  let fieldsAgreeing = 0;
  const unused = new Set(arrests);
  for (const expected of truth.arrests) {
    const match = [...unused].find(
      (arrest) =>
        arrest.paragraphs.includes(expected.paragraph) &&
        (expected.age ?? undefined) === arrest.age &&
        ((expected.count ?? 1) === (arrest.count ?? 1) || expected.age !== null) &&
        (expected.sex === null || expected.sex === arrest.sex),
    );
    if (!match) continue;
    unused.delete(match);
    arrestsFound++;
    fieldsAgreeing += ARREST_FIELDS.filter((field) => fieldAgrees(expected[field], match[field])).length;
  }

  return {
    paragraphs: paragraphScore,
    headings: { found: truth.headings.filter((heading) => headings.includes(heading)).length, of: truth.headings.length },
    quotesWithSpeaker: { found: quotesWithSpeaker, of: truth.quotes.length },
    entities: { found: matchedEntities.filter(({ found }) => found).length, of: truthEntities.length },
    entitiesWithRole: { found: withRole, of: truthEntities.length },
    attributions: { found: attributions, of: truth.attributions.length },
    arrests: { found: arrestsFound, of: truth.arrests.length },
    arrestFields: { found: fieldsAgreeing, of: arrestsFound * ARREST_FIELDS.length },
  };
}

/** The ground truth a hand-curated report gives: its paragraphs, entities, quotes, attributions and arrests. */
export function truthFromCuratedReport(report: Report): IngestTruth {
  const { entities, quotes, arrests } = report.facts;
  const nameOf = (id: string): string => entities.find((entity) => entity.id === id)?.name ?? id;
  const toTruthEntity = (entity: (typeof entities)[number]): IngestTruth['people'][number] => ({
    name: entity.name,
    role: entity.role,
    aliases: entity.aliases,
  });
  return {
    paragraphs: report.paragraphs.map((paragraph) => paragraph.text),
    headings: report.blocks.flatMap((block) => (block.kind === 'heading' ? [block.text] : [])),
    people: entities.filter((entity) => entity.kind === 'person').map(toTruthEntity),
    organisations: entities.filter((entity) => entity.kind !== 'person').map(toTruthEntity),
    quotes: quotes.flatMap((quote) =>
      quote.paragraphs.slice(0, 1).map((paragraph) => ({ paragraph, speaker: nameOf(quote.speaker), text: quote.text })),
    ),
    attributions: report.paragraphs.map((paragraph) => ({
      paragraph: paragraph.number,
      speaker: paragraph.attribution?.speaker ? nameOf(paragraph.attribution.speaker) : null,
      authority: paragraph.attribution?.authority ?? null,
    })),
    arrests: arrests.map((arrest) => ({
      paragraph: arrest.paragraphs[0] ?? 0,
      age: arrest.age ?? null,
      sex: arrest.sex ?? null,
      count: arrest.count ?? null,
      where: arrest.where,
      when: arrest.when,
      suspicion: arrest.suspicion,
      status: arrest.status,
    })),
  };
}
