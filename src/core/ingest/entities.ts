import { editDistance } from '../answer/typo-corrector.ts';
import { isEnglishWord } from '../lexicon/index.ts';
import { namesIn, sentencesOf, termsOf, trimName } from './nlp.ts';

/** A person or organisation the report names, with the other names it uses for them. */
export interface FoundEntity {
  id: string;
  kind: 'person' | 'organisation';
  name: string;
  aliases: string[];
  role: string;
  /** Paragraph numbers (1-based) that mention the entity by any of its names. */
  paragraphs: number[];
  /** The first sentence that names them, verbatim. */
  summary: string;
}

/** Acronyms are short runs of capitals ("NATO", "FBI"); a longer run is shouting, not a name. */
const ACRONYM = /\b[A-Z][A-Z&]{1,5}\b/g;
/** "the Office of Fair Trading (OFT)": a name and the acronym it is given. */
const DEFINED_ACRONYM = /((?:[A-Z][\p{L}’'-]*|and|of|for|the)(?:\s+(?:[A-Z][\p{L}’'-]*|and|of|for|the))*)\s+\(([A-Z][A-Z&]{1,5})\)/gu;
/** Courtesy titles written before a surname ("Dr Roe", "Mr Doe"): not part of the name. */
export const COURTESY_TITLE = /^\s*(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Rev|Cllr|Sgt|Insp|Det|Supt|Ch)\.?\s+/;
/** An apposition that gives a role: ", deputy assistant commissioner," or ", 71, who lives on Mill Lane". */
const APPOSITION_ROLE = /^,\s+((?:\d{1,3},\s+)?(?:the\s+|a\s+|an\s+)?[^,.;:“”"]{3,80}?)(?=,|\.|;|:| said| told)/;

/** Names the grammar marks as people even where compromise does not know them: "said Jane Roe", "Jane Roe, 34,". */
const SPEAKER_NAME =
  /\b(?:said|says|told|added|according to)\s+((?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?\p{Lu}\p{Ll}+(?:\s+\p{Lu}[\p{L}’'-]+)+)|\b(\p{Lu}\p{Ll}+\s+\p{Lu}[\p{L}’'-]+),\s+\d{1,3},/gu;

interface Candidate {
  kind: 'person' | 'organisation';
  name: string;
  aliases: Set<string>;
  role: string;
}

/** Finds the people and organisations in the paragraphs, merges their names, and where they are mentioned. */
export function findEntities(paragraphs: readonly string[], title = ''): FoundEntity[] {
  const text = [title, ...paragraphs].join('\n\n');
  const candidates = new Map<string, Candidate>();
  const add = (kind: Candidate['kind'], name: string, role = ''): Candidate | undefined => {
    const clean = trimName(name.replace(COURTESY_TITLE, '').replace(/['’]s\s.*$/u, '')).replace(/^the\s+/i, '');
    if (clean.length < 2 || !/^\p{Lu}/u.test(clean)) return undefined;
    const existing = candidates.get(clean) ?? [...candidates.values()].find((candidate) => candidate.aliases.has(clean));
    if (existing) {
      if (!existing.role && role) existing.role = role;
      return existing;
    }
    const candidate: Candidate = { kind, name: clean, aliases: new Set(), role };
    candidates.set(clean, candidate);
    return candidate;
  };

  for (const match of text.matchAll(DEFINED_ACRONYM)) {
    const name = (match[1] ?? '').replace(/^(?:the|and|of|for)\s+/i, '');
    const acronym = match[2] ?? '';
    if (name.split(/\s+/).length < 2) continue;
    add('organisation', name)?.aliases.add(acronym);
  }
  for (const paragraph of [title, ...paragraphs]) {
    for (const match of paragraph.matchAll(SPEAKER_NAME)) {
      const name = match[1] ?? match[2] ?? '';
      add('person', name, roleAround(paragraph, name.replace(COURTESY_TITLE, '')));
    }
    const names = namesIn(paragraph);
    for (const person of names.people) {
      const { name, title: rank } = splitLeadingRole(person);
      if (!name) continue;
      add('person', name, roleAround(paragraph, name) || rank);
    }
    for (const organisation of names.organisations) add('organisation', organisation);
    const places = new Set(names.places);
    for (const acronym of paragraph.match(ACRONYM) ?? []) {
      if (!places.has(acronym)) add('organisation', acronym);
    }
    for (const name of brandLikeNames(paragraph)) add('organisation', name);
  }
  mergeNames(candidates, text);
  addOtherSpellings(candidates, text);
  addCategories(candidates, text);
  return toEntities(candidates, paragraphs);
}

/**
 * Names compromise does not know: a word with a capital inside ("YouTube"), or a capitalised
 * word in mid-sentence used as a possessive ("the Yard’s spokesman").
 */
function brandLikeNames(paragraph: string): string[] {
  const terms = termsOf(paragraph);
  return terms.flatMap((term, index) => {
    const word = trimName(term.text);
    if (index === 0 || /[.!?:“"]$/.test(terms[index - 1]?.text ?? '') || term.tags.includes('Pronoun')) return [];
    if (/^\p{Lu}\p{Ll}+\p{Lu}\p{L}*$/u.test(word)) return [word];
    if (
      term.tags.includes('ProperNoun') &&
      term.tags.includes('Possessive') &&
      /^\p{Lu}\p{Ll}+['’]s$/u.test(term.text.replace(/[,.;:]$/, ''))
    )
      return [word];
    return [];
  });
}

/** compromise counts a title before a name as part of it ("Secretary Jane Roe"); the title is a role. */
function splitLeadingRole(person: string): { name: string; title: string } {
  const terms = termsOf(person);
  let first = 0;
  while (first < terms.length - 1 && isRoleWord(terms[first]?.tags ?? [])) first++;
  const words = person.split(/\s+/);
  return { name: words.slice(first).join(' '), title: words.slice(0, first).join(' ') };
}

function isRoleWord(tags: readonly string[]): boolean {
  return tags.includes('Actor') || tags.includes('Honorific') || (tags.includes('Noun') && !tags.includes('Person'));
}

/** The role a sentence gives a name: an apposition after it, or a title before it ("Foreign Secretary Jane Roe"). */
function roleAround(paragraph: string, name: string): string {
  const at = paragraph.indexOf(name);
  if (at === -1) return '';
  const after = APPOSITION_ROLE.exec(paragraph.slice(at + name.length));
  if (after?.[1] && !/^(?:said|says|who said|he|she|they)\b/.test(after[1])) return after[1].replace(/^\d{1,3},\s+/, '').trim();
  return titleBefore(paragraph.slice(0, at));
}

/** The words just before a name that name a role: a run of nouns ending in a role noun ("Transport minister"). */
function titleBefore(before: string): string {
  const words = before.trimEnd().split(/\s+/).slice(-4);
  const terms = termsOf(words.join(' '));
  const run: string[] = [];
  for (let index = terms.length - 1; index >= 0; index--) {
    const term = terms[index];
    if (!term || /[,.;:“”"()]$/.test(term.text) || term.tags.includes('Determiner') || term.tags.includes('Preposition')) break;
    const capitalised = /^\p{Lu}/u.test(term.text);
    if (!term.tags.includes('Noun') && !term.tags.includes('Adjective') && !capitalised) break;
    run.unshift(term.text);
  }
  const last = terms[terms.length - 1];
  return run.length > 0 && last?.tags.includes('Actor') ? run.join(' ') : '';
}

/** "Roe" alone and "Jane Roe" are one person; a name inside a longer one is an alias of it. */
function mergeNames(candidates: Map<string, Candidate>, text: string): void {
  const byLength = [...candidates.values()].sort((a, b) => b.name.length - a.name.length);
  for (const shorter of byLength) {
    const words = shorter.name.split(/\s+/);
    const owners = byLength.filter(
      (longer) => longer !== shorter && candidates.has(longer.name) && isPartOfName(words, longer.name.split(/\s+/)),
    );
    // A surname shared by two people is no alias of either.
    if (owners.length !== 1) continue;
    const owner = owners[0] as Candidate;
    owner.aliases.add(shorter.name);
    for (const alias of shorter.aliases) owner.aliases.add(alias);
    if (!owner.role && shorter.role) owner.role = shorter.role;
    candidates.delete(shorter.name);
  }
  for (const candidate of candidates.values()) {
    // "Nato" for "NATO": the report writes the acronym as a word.
    if (/^[A-Z]{3,}$/.test(candidate.name)) {
      const asWord = candidate.name[0] + candidate.name.slice(1).toLowerCase();
      if (mentions(text, asWord)) candidate.aliases.add(asWord);
      candidates.delete(asWord);
    }
    const words = candidate.name.split(/\s+/);
    const surname = words[words.length - 1];
    // People are asked about by surname ("what did okafor say") and by first name ("helen's view").
    if (candidate.kind === 'person' && words.length > 1 && surname && words[0]) {
      candidate.aliases.add(surname);
      candidate.aliases.add(words[0]);
    }
  }
  dropSharedAliases(candidates);
}

/** A name two entities answer to ("Jane" for two Janes) names neither. */
function dropSharedAliases(candidates: Map<string, Candidate>): void {
  const owners = new Map<string, number>();
  for (const candidate of candidates.values()) for (const alias of candidate.aliases) owners.set(alias, (owners.get(alias) ?? 0) + 1);
  for (const candidate of candidates.values()) {
    for (const alias of candidate.aliases) if ((owners.get(alias) ?? 0) > 1 || candidates.has(alias)) candidate.aliases.delete(alias);
  }
}

function isPartOfName(words: readonly string[], longer: readonly string[]): boolean {
  if (words.length >= longer.length) return false;
  for (let start = 0; start + words.length <= longer.length; start++) {
    if (words.every((word, index) => longer[start + index] === word)) return true;
  }
  return false;
}

/** The report's other spellings of a surname ("Rowe" for "Roe"): a capitalised word one edit away that is no English word. */
function addOtherSpellings(candidates: Map<string, Candidate>, text: string): void {
  const capitalised = new Set((text.match(/\b\p{Lu}\p{Ll}{3,}\b/gu) ?? []).map((word) => word));
  for (const candidate of candidates.values()) {
    if (candidate.kind !== 'person') continue;
    for (const part of [...candidate.aliases, candidate.name].filter((name) => !name.includes(' ') && name.length >= 5)) {
      for (const word of capitalised) {
        if (word === part || candidate.aliases.has(word) || candidates.has(word) || isEnglishWord(word.toLowerCase())) continue;
        if (word[0] === part[0] && editDistance(word.toLowerCase(), part.toLowerCase()) === 1) candidate.aliases.add(word);
      }
    }
  }
}

/** "rival carmakers such as Fiat or Opel": the category is the role of the names it lists. */
function addCategories(candidates: Map<string, Candidate>, text: string): void {
  for (const match of text.matchAll(/\b((?:[\p{Ll}-]+\s+|\p{Lu}[\p{Ll}]+\s+){0,3}[\p{Ll}]+s)\s+such as\s+([^.;:]+)/gu)) {
    const category = (match[1] ?? '').trim().replace(/^(?:(?:and|or|but|between|with|of|the|for|to|in|on|by)\s+)+/, '');
    for (const candidate of candidates.values()) {
      if (candidate.role) continue;
      const listed = (match[2] ?? '').split(/,\s*|\s+(?:or|and)\s+/).map(trimName);
      if (listed.includes(candidate.name) || listed.some((name) => candidate.aliases.has(name))) candidate.role = category;
    }
  }
}

function toEntities(candidates: Map<string, Candidate>, paragraphs: readonly string[]): FoundEntity[] {
  const used = new Set<string>();
  const entities: FoundEntity[] = [];
  for (const candidate of candidates.values()) {
    const names = [candidate.name, ...candidate.aliases];
    const mentioned = paragraphs.flatMap((paragraph, index) => (names.some((name) => mentions(paragraph, name)) ? [index + 1] : []));
    if (mentioned.length === 0) continue;
    const firstParagraph = paragraphs[(mentioned[0] as number) - 1] ?? '';
    const summary =
      sentencesOf(firstParagraph).find((sentence) => names.some((name) => mentions(sentence.text, name)))?.text ?? firstParagraph;
    entities.push({
      id: uniqueId(slug(candidate.name), used),
      kind: candidate.kind,
      name: candidate.name,
      aliases: [...candidate.aliases].filter((alias) => alias !== candidate.name),
      role: candidate.role,
      paragraphs: mentioned,
      summary,
    });
  }
  return entities;
}

/** Whole-word, case-sensitive: "Bill" the person is not "bill" the invoice. */
export function mentions(text: string, name: string): boolean {
  return mentionIndex(text, name) !== -1;
}

/** Where the name first appears as a whole word, or -1. */
export function mentionIndex(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.search(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u'));
}

export function slug(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'item'
  );
}

export function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}
