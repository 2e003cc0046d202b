import type { FactsFile, ReportFile } from '../knowledge/schema.ts';
import { foldForMatching } from '../text.ts';
import type { Article } from './article.ts';
import { slug, uniqueId } from './entities.ts';
import type { FoundStructure } from './structure.ts';

/** What the files say when the report does not give a field (the same words curators use). */
export const NOT_STATED = 'not stated in the report';
const AUTOMATIC = 'automatic' as const;
const MAX_SUGGESTED = 8;

/** The two knowledge files for an article, every found fact marked as found automatically. */
export function knowledgeFiles(article: Article, reportId: string, found: FoundStructure): { report: ReportFile; facts: FactsFile } {
  let paragraph = 0;
  const blocks: ReportFile['blocks'] = article.blocks.map((block) => {
    if (block.kind === 'heading') return { heading: block.text };
    paragraph++;
    const attribution = found.attributions[paragraph - 1] ?? {};
    return {
      paragraph,
      text: block.text,
      ...(Object.keys(attribution).length > 0 && { attribution: { ...attribution, origin: AUTOMATIC } }),
    };
  });
  const report: ReportFile = { id: reportId, title: article.title, outlet: article.outlet, date: article.date, url: article.url, blocks };
  const facts: FactsFile = {
    entities: entitiesOf(found),
    arrests: arrestsOf(found),
    quotes: quotesOf(found),
    claims: [],
    timeline: timelineOf(found),
    suggestedQuestions: suggestedQuestions(found),
  };
  return { report, facts };
}

/** An alias may name one entity only: a name two entities share is dropped from the later one. */
function entitiesOf(found: FoundStructure): FactsFile['entities'] {
  const owners = new Map<string, string>();
  return found.entities.map((entity) => {
    const names = [entity.name, ...entity.aliases].filter((name) => {
      const key = foldForMatching(name);
      const owner = owners.get(key);
      if (owner !== undefined && owner !== entity.id) return false;
      owners.set(key, entity.id);
      return true;
    });
    return {
      id: entity.id,
      kind: entity.kind,
      name: entity.name,
      aliases: names.filter((name) => name !== entity.name),
      role: entity.role,
      summary: entity.summary,
      paragraphs: entity.paragraphs,
      origin: AUTOMATIC,
    };
  });
}

function quotesOf(found: FoundStructure): FactsFile['quotes'] {
  const used = new Set<string>();
  const roles = new Map(found.entities.map((entity) => [entity.id, entity.role]));
  return found.quotes.map((quote) => ({
    id: uniqueId(`quote-${quote.speaker}-p${quote.paragraph}`, used),
    speaker: quote.speaker,
    role: roles.get(quote.speaker) ?? '',
    text: quote.text,
    occasion: quote.occasion,
    paragraphs: [quote.paragraph],
    origin: AUTOMATIC,
  }));
}

function arrestsOf(found: FoundStructure): FactsFile['arrests'] {
  const used = new Set<string>();
  return found.arrests.map((arrest) => ({
    id: uniqueId(`arrest-p${arrest.paragraph}-${slug(arrest.who)}`, used),
    who: arrest.who.charAt(0).toUpperCase() + arrest.who.slice(1),
    ...(arrest.age !== undefined && { age: arrest.age }),
    ...(arrest.sex !== undefined && { sex: arrest.sex }),
    ...(arrest.count !== undefined && { count: arrest.count }),
    where: arrest.where || NOT_STATED,
    when: arrest.when || NOT_STATED,
    suspicion: arrest.suspicion || NOT_STATED,
    status: arrest.status || NOT_STATED,
    paragraphs: [arrest.paragraph],
    origin: AUTOMATIC,
  }));
}

function timelineOf(found: FoundStructure): FactsFile['timeline'] {
  const used = new Set<string>();
  return found.timeline.map((event) => ({
    id: uniqueId(`event-p${event.paragraph}-${slug(event.when)}`, used),
    when: event.when,
    what: event.what,
    paragraphs: [event.paragraph],
    origin: AUTOMATIC,
  }));
}

/** Questions the report answers for sure, from what was found: offered by autocomplete and when a question is declined. */
function suggestedQuestions(found: FoundStructure): string[] {
  const named = found.entities.filter(
    (entity) => entity.kind === 'person' && entity.name.split(/\s+/).length > 1 && /^\p{Lu}/u.test(entity.name),
  );
  const speakers = [...new Set(found.quotes.map((quote) => quote.speaker))]
    .map((id) => named.find((entity) => entity.id === id))
    .filter((entity) => entity !== undefined);
  const questions = [
    ...(found.arrests.length > 0 ? ['who was arrested?'] : []),
    ...speakers.slice(0, 4).map((entity) => `what did ${entity.name} say?`),
    ...named
      .filter((entity) => entity.role)
      .slice(0, 3)
      .map((entity) => `who is ${entity.name}?`),
    ...(found.timeline.length > 0 ? ['when did it happen?'] : []),
  ];
  return [...new Set(questions)].filter((question) => question.length <= 100).slice(0, MAX_SUGGESTED);
}
