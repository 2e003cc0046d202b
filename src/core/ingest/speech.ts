import { COURTESY_TITLE, mentionIndex } from './entities.ts';
import lemmatizer from 'wink-lemmatizer';
import { isPersonNoun } from '../lexicon/index.ts';
import { termsOf, verbLemma } from './nlp.ts';

/**
 * Who says what in a sentence: reporting verbs and the names, pronouns or descriptions they go
 * with. Shared by quote and attribution finding, so both read a sentence the same way.
 */

/** English verbs that report speech or a stated view (lemmas). General language, no report's words. */
export const REPORTING_VERBS: ReadonlySet<string> = new Set(
  `say tell add confirm state explain insist warn claim deny describe call write tweet post announce urge ask reply
  admit argue note reveal report suggest comment continue recall acknowledge agree accuse vow promise declare
  respond stress maintain allege concede estimate predict believe doubt dispute question testify complain`
    .split(/\s+/)
    .filter(Boolean),
);

export interface NamedEntity {
  id: string;
  kind: 'person' | 'organisation';
  names: string[];
}

export interface Mention {
  entity: NamedEntity;
  index: number;
}

/** Where any of the entities is named in the text, first position per name, in text order. */
export function mentionsIn(text: string, entities: readonly NamedEntity[]): Mention[] {
  const found: Mention[] = [];
  for (const entity of entities) {
    let best = -1;
    for (const name of entity.names) {
      const index = mentionIndex(text, name);
      if (index !== -1 && (best === -1 || index < best)) best = index;
    }
    if (best !== -1) found.push({ entity, index: best });
  }
  return found.sort((a, b) => a.index - b.index);
}

export interface ReportingVerb {
  word: string;
  index: number;
}

/** The reporting verbs of a text (outside quotes), in order; "called" only when it reports words. */
export function reportingVerbsIn(text: string): ReportingVerb[] {
  const verbs: ReportingVerb[] = [];
  let from = 0;
  for (const term of termsOf(text)) {
    const word = term.text.replace(/[^\p{L}'’-]/gu, '');
    const index = text.indexOf(word, from);
    if (index === -1 || !word) continue;
    from = index + word.length;
    if (term.tags.includes('Verb') && REPORTING_VERBS.has(verbLemma(word))) verbs.push({ word, index });
  }
  return verbs;
}

const PRONOUN = /^(?:he|she|they|it)$/i;
/** A description in front of a verb: "The fire chief confirmed", "a spokesperson for the council said". */
const DESCRIPTION_BEFORE = /(?:^|[\s,(])((?:the|a|an)\s+(?:[\p{L}’'-]+\s+){0,6}?[\p{L}’'-]+)\s*,?\s*$/iu;
const DESCRIPTION_AFTER = /^\s*((?:the|a|an)\s+(?:[\p{L}’'-]+\s+){0,6}?[\p{L}’'-]+?)(?=[,.;:]|\s+(?:said|told|added|in|on|at|who)\b|$)/iu;

export type Speaker = { kind: 'entity'; entity: NamedEntity } | { kind: 'pronoun'; word: string } | { kind: 'description'; text: string };

/**
 * The one who speaks with a verb: a name (or pronoun, or description) before it in its clause,
 * else, for "“...,” said Jane Roe", one right after it.
 */
export function speakerOf(text: string, verb: ReportingVerb, entities: readonly NamedEntity[], clauseStart = 0): Speaker | undefined {
  const before = text.slice(clauseStart, verb.index);
  const subject = mentionsIn(before, entities);
  const person = subject.find((mention) => mention.entity.kind === 'person') ?? subject[0];
  if (person) return { kind: 'entity', entity: person.entity };
  const lastWord = before.trim().split(/\s+/).pop() ?? '';
  if (PRONOUN.test(lastWord)) return { kind: 'pronoun', word: lastWord.toLowerCase() };
  const description = DESCRIPTION_BEFORE.exec(before)?.[1];
  if (description && namesSomeone(description)) return { kind: 'description', text: description };

  const after = text.slice(verb.index + verb.word.length, verb.index + verb.word.length + 80);
  const named = mentionsIn(after, entities)[0];
  if (named && after.slice(0, named.index).replace(COURTESY_TITLE, '').trim() === '') return { kind: 'entity', entity: named.entity };
  const pronoun = /^\s*(he|she|they)\b/i.exec(after);
  if (pronoun?.[1]) return { kind: 'pronoun', word: pronoun[1].toLowerCase() };
  const described = DESCRIPTION_AFTER.exec(after)?.[1];
  return described && namesSomeone(described) ? { kind: 'description', text: described } : undefined;
}

/** A description of someone ends in a noun for a person or a body of people ("chief", "spokeswoman", "council"). */
function namesSomeone(description: string): boolean {
  const last = (description.split(/\s+/).pop() ?? '').replace(/['’]s$/, '');
  return isPersonNoun(lemmatizer.lemmatizeNoun(last.toLowerCase())) || termsOf(last).some((term) => term.tags.includes('Actor'));
}
