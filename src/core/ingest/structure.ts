import { findArrests, type FoundArrest } from './arrests.ts';
import type { Article } from './article.ts';
import { findAttribution, type FoundAttribution } from './attribution.ts';
import { findEntities, slug, uniqueId, type FoundEntity } from './entities.ts';
import { findQuotes, type FoundQuote } from './quotes.ts';
import { mentionsIn, type NamedEntity, type Speaker } from './speech.ts';
import { findTimeline, type FoundEvent } from './timeline.ts';

/** What ingestion finds in an article, with every speaker resolved to an entity. */
export interface FoundStructure {
  paragraphs: string[];
  entities: FoundEntity[];
  quotes: Array<Omit<FoundQuote, 'speaker'> & { speaker: string }>;
  attributions: Array<{ speaker?: string; occasion?: string; authority?: string }>;
  arrests: FoundArrest[];
  timeline: FoundEvent[];
}

/** Runs every finder over the article: entities first, since quotes, attributions and arrests name them. */
export function findStructure(article: Article): FoundStructure {
  const paragraphs = article.blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.text] : []));
  const entities = findEntities(paragraphs, article.title);
  const named = entities.map(toNamed);
  const speakers = new SpeakerResolver(entities, paragraphs);
  const quotes = findQuotes(paragraphs, named).flatMap((quote) => {
    const speaker = speakers.resolve(quote.speaker, quote.paragraph, quote.start);
    return speaker ? [{ ...quote, speaker }] : [];
  });
  const attributions = paragraphs.map((paragraph, index) => {
    const found: FoundAttribution = findAttribution(paragraph, named);
    const quoted = quotes.find((quote) => quote.paragraph === index + 1);
    const reported = found.speaker ? speakers.resolve(found.speaker, index + 1, paragraph.length) : undefined;
    const speaker = quoted?.speaker ?? reported;
    return {
      ...(speaker && { speaker }),
      ...(quoted?.occasion && { occasion: quoted.occasion }),
      ...(found.authority && { authority: found.authority }),
    };
  });
  return { paragraphs, entities, quotes, attributions, arrests: findArrests(paragraphs, named), timeline: findTimeline(paragraphs) };
}

function toNamed(entity: FoundEntity): NamedEntity {
  return { id: entity.id, kind: entity.kind, names: [entity.name, ...entity.aliases] };
}

/**
 * Turns a speaker as found (a name, a pronoun, a description) into an entity id: a pronoun is the
 * last person named before it; a description ("the fire chief") becomes an entity of its own.
 */
class SpeakerResolver {
  private readonly ids: Set<string>;
  private lastSpeaker: string | undefined;

  constructor(
    private readonly entities: FoundEntity[],
    private readonly paragraphs: readonly string[],
  ) {
    this.ids = new Set(entities.map((entity) => entity.id));
  }

  resolve(speaker: Speaker, paragraph: number, position: number): string | undefined {
    const id = this.idOf(speaker, paragraph, position);
    if (id) this.lastSpeaker = id;
    return id;
  }

  private idOf(speaker: Speaker, paragraph: number, position: number): string | undefined {
    if (speaker.kind === 'entity') return speaker.entity.id;
    if (speaker.kind === 'pronoun') return this.antecedent(speaker.word, paragraph, position);
    const name = speaker.text.replace(/^(?:the|a|an)\s+/i, (article) => article.toLowerCase());
    const existing = this.entities.find((entity) => entity.name.toLowerCase() === name.toLowerCase());
    if (existing) return existing.id;
    const entity: FoundEntity = {
      id: uniqueId(slug(name.replace(/^(?:the|a|an)\s+/i, '')), this.ids),
      kind: 'person',
      name: name.charAt(0).toUpperCase() + name.slice(1),
      aliases: [],
      role: name.replace(/^(?:the|a|an)\s+/i, ''),
      paragraphs: [paragraph],
      summary: this.paragraphs[paragraph - 1] ?? name,
    };
    this.entities.push(entity);
    return entity.id;
  }

  /** The last entity of the pronoun's kind named before it in the paragraph, else the last speaker. */
  private antecedent(pronoun: string, paragraph: number, position: number): string | undefined {
    const kind = pronoun === 'they' || pronoun === 'it' ? 'organisation' : 'person';
    const before = (this.paragraphs[paragraph - 1] ?? '').slice(0, position);
    const named = mentionsIn(before, this.entities.map(toNamed)).filter((mention) => mention.entity.kind === kind);
    return named[named.length - 1]?.entity.id ?? this.lastSpeaker;
  }
}
