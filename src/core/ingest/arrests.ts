import { numberWordValue } from '../text.ts';
import { mentionsIn, type NamedEntity } from './speech.ts';
import { datePhrasesIn, sentencesOf, termsOf, verbLemma } from './nlp.ts';

/** An arrest or detention as the report states it; a field the report does not give is empty. */
export interface FoundArrest {
  paragraph: number;
  /** "A 30-year-old man", "nine people", "Mark Devlin". */
  who: string;
  age?: number;
  sex?: 'man' | 'woman';
  count?: number;
  where: string;
  when: string;
  suspicion: string;
  status: string;
  /** The verb the report used ("arrested", "detained"): the status until the report says more. */
  verb: string;
}

/** Verbs that state an arrest or a charge (lemmas): general English for what officers do. */
const ARREST_VERBS: ReadonlySet<string> = new Set(['arrest', 'detain', 'charge', 'apprehend', 'hold']);
const MALE = /\b(?:man|men|boy|boys|male|father|husband|son|brother)\b/i;
const FEMALE = /\b(?:woman|women|girl|girls|female|mother|wife|daughter|sister)\b/i;
/** "a 30-year-old man", "A 52-year-old woman from Wensley". */
const AGED_PERSON = /\b(?:[Aa]n?\s+|[Tt]he\s+)?(\d{1,3})-year-old\s+((?:[\p{Ll}-]+\s+){0,2}?[\p{Ll}]+)\b/gu;
/** "nine people", "23 protesters", "Two managers". */
const COUNTED_PEOPLE = /\b(?=(\d{1,4}|[A-Za-z]+(?:-[a-z]+)?)\s+((?:[\p{Ll}-]+\s+)?(?:[\p{Ll}]+s|people|men|women|children))\b)/gu;
const STATUS =
  /\b(remain(?:s|ed)? in custody|(?:has |have |had )?(?:since )?been (?:bailed|released|charged|freed|remanded)[^,.;]*|(?:was |were )?(?:bailed|released|remanded)\b[^,.;]*|charged with [^,.;]*|in custody)/i;
const SUSPICION =
  /\bon suspicion of ([^,.;]+?)(?=\s+(?:on|in|at|last|this|after|before|but|following)\b|[,.;]|$)|\bcharged with ([^,.;]+?)(?=\s+(?:on|in|at|last|this|after|and|but)\b|[,.;]|$)/i;
const PLACE =
  /\b(?:in|at|from|near)\s+((?:(?:his|her|their|a|the)\s+[\p{Ll}]+\s+(?:in|at|on)\s+)?\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)*)/gu;

interface Description {
  index: number;
  who: string;
  age?: number;
  count?: number;
}

export function findArrests(paragraphs: readonly string[], entities: readonly NamedEntity[]): FoundArrest[] {
  const arrests: FoundArrest[] = [];
  paragraphs.forEach((paragraph, paragraphIndex) => {
    const firstOfParagraph = arrests.length;
    for (const sentence of sentencesOf(paragraph)) {
      const previous = arrests.length > firstOfParagraph ? arrests[arrests.length - 1] : undefined;
      if (!mentionsArrest(sentence.text)) {
        // "She has been released on bail": what became of the one just named.
        const status = STATUS.exec(sentence.text)?.[1];
        if (previous && status && /^\s*(?:He|She|They)\b/.test(sentence.text) && previous.status === previous.verb)
          previous.status = status.trim();
        continue;
      }
      const descriptions = descriptionsIn(sentence.text, entities);
      const lead = sentence.text.slice(0, descriptions[0]?.index ?? 0);
      descriptions.forEach((description, index) => {
        const end = descriptions[index + 1]?.index ?? sentence.text.length;
        const clause = sentence.text.slice(description.index, end);
        const context = arrestContext(sentence.text, description, end);
        if (!mentionsArrest(context) && !STATUS.test(clause)) return;
        const arrest = fieldsOf(clause, index === 0 ? lead : '', arrestVerbIn(context) ?? 'arrested');
        arrests.push({
          paragraph: paragraphIndex + 1,
          who: description.who,
          ...(description.age !== undefined && { age: description.age }),
          ...sexOf(description.who),
          ...(description.count !== undefined && { count: description.count }),
          ...arrest,
        });
      });
      // "He and a 58-year-old man ... remain in custody": the status also tells of the one before.
      if (previous && /^\s*(?:He|She|They)\b/.test(lead) && previous.status === previous.verb) {
        const status = STATUS.exec(sentence.text)?.[1];
        if (status) previous.status = status.trim();
      }
    }
  });
  return arrests;
}

/** Words that tie a description to an arrest verb: the verb just before it ("detained 23 people") or in the fourteen words after it. */
const OBJECT_REACH = 2;
const SUBJECT_REACH = 14;

function arrestContext(sentence: string, description: Description, end: number): string {
  const before = sentence.slice(0, description.index).trim().split(/\s+/).slice(-OBJECT_REACH).join(' ');
  const after = sentence.slice(description.index, end).split(/\s+/).slice(0, SUBJECT_REACH).join(' ');
  return `${before} ${after}`;
}

function mentionsArrest(text: string): boolean {
  return /\bcustody\b/i.test(text) || arrestVerbIn(text) !== undefined;
}

/** The first arrest verb as written ("detained"); "holding" and "charges" are too often something else. */
function arrestVerbIn(text: string): string | undefined {
  return (text.match(/[\p{L}]+/gu) ?? [])
    .find((word) => ARREST_VERBS.has(verbLemma(word)) && !/^hold(?:s|ing)?$|^charges?$/i.test(word))
    ?.toLowerCase();
}

function descriptionsIn(sentence: string, entities: readonly NamedEntity[]): Description[] {
  const found: Description[] = [];
  for (const match of sentence.matchAll(AGED_PERSON)) {
    found.push({ index: match.index, who: match[0].trim(), age: Number(match[1]) });
  }
  for (const match of sentence.matchAll(COUNTED_PEOPLE)) {
    const count = /^\d+$/.test(match[1] ?? '') ? Number(match[1]) : Number(numberWordValue((match[1] ?? '').toLowerCase()) ?? NaN);
    if (!Number.isFinite(count) || count < 2 || /-year-old/.test(sentence.slice(match.index, match.index + 20))) continue;
    if (!isPeopleNoun(match[2] ?? '') || overlaps(found, match.index)) continue;
    found.push({ index: match.index, who: `${match[1]} ${match[2]}`, count });
  }
  for (const mention of mentionsIn(sentence, entities)) {
    if (mention.entity.kind !== 'person') continue;
    const after = sentence.slice(mention.index, mention.index + 80);
    if (/^[^,.;]*?\b(?:was|were|has been|had been)\s+(?:arrested|detained|charged)/.test(after)) {
      found.push({ index: mention.index, who: mention.entity.names[0] ?? '' });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

function overlaps(found: readonly Description[], index: number): boolean {
  return found.some((description) => index >= description.index && index < description.index + description.who.length);
}

/** A noun for people (compromise's Actor: "managers", "protesters"; or "people"). */
function isPeopleNoun(phrase: string): boolean {
  const last = phrase.split(/\s+/).pop() ?? '';
  if (/^(?:people|men|women|children|persons)$/.test(last)) return true;
  return termsOf(last).some((term) => term.tags.includes('Actor') || term.tags.includes('Person'));
}

function sexOf(who: string): { sex?: 'man' | 'woman' } {
  if (MALE.test(who)) return { sex: 'man' };
  if (FEMALE.test(who)) return { sex: 'woman' };
  return {};
}

function fieldsOf(clause: string, lead: string, verb: string): Pick<FoundArrest, 'where' | 'when' | 'suspicion' | 'status' | 'verb'> {
  const suspicion = SUSPICION.exec(clause);
  const status = STATUS.exec(clause)?.[1]?.trim();
  // "bailed until later this month" dates the bail, not the arrest.
  const dates = datePhrasesIn(status ? clause.replace(status, '') : clause)
    .concat(datePhrasesIn(lead))
    .map((phrase) => phrase.replace(/^(?:on|at|in)\s+/i, '').replace(/[,.;:]+$/, ''));
  const dateWords = new Set(dates.flatMap((phrase) => phrase.split(/\s+/)));
  const where = [...clause.matchAll(PLACE)]
    .map((match) => match[1] ?? '')
    .find((place) => !place.split(/\s+/).some((word) => dateWords.has(word)) && !isDateWord(place));
  return {
    where: where ?? '',
    when: dates[0] ?? '',
    suspicion: (suspicion?.[1] ?? suspicion?.[2] ?? '').trim(),
    status: status ?? verb,
    verb,
  };
}

function isDateWord(phrase: string): boolean {
  return termsOf(phrase).some((term) => term.tags.includes('Date'));
}
