import nlp from 'compromise';
import datesPlugin from 'compromise-dates';
import lemmatizer from 'wink-lemmatizer';

/**
 * The one place compromise is set up: sentences, names, dates and word classes come from it, so
 * every stage of ingestion reads the text the same way.
 */
nlp.plugin(datesPlugin as unknown as Parameters<typeof nlp.plugin>[0]);

export type Doc = ReturnType<typeof nlp>;

export function parse(text: string): Doc {
  return nlp(text);
}

/** A sentence and where it starts in its paragraph (the text is verbatim). */
export interface Sentence {
  text: string;
  start: number;
}

/** Sentences in order; a closing quote stays with the sentence it ends. */
export function sentencesOf(paragraph: string): Sentence[] {
  const sentences: Sentence[] = [];
  let from = 0;
  for (const raw of parse(paragraph).sentences().out('array') as string[]) {
    const text = raw.trim();
    const start = paragraph.indexOf(text, from);
    if (start === -1 || !text) continue;
    sentences.push({ text, start });
    from = start + text.length;
  }
  return sentences.length > 0 ? sentences : [{ text: paragraph, start: 0 }];
}

type Term = { text: string; tags: string[] };

/** The words of a text with compromise's tags (Person, Actor, Organization, Date...). */
export function termsOf(text: string): Term[] {
  const json = parse(text).json() as Array<{ terms: Term[] }>;
  return json.flatMap((sentence) => sentence.terms);
}

/** Names of people, organisations and places as compromise finds them, without trailing punctuation. */
export function namesIn(text: string): { people: string[]; organisations: string[]; places: string[] } {
  const doc = parse(text);
  const clean = (names: string[]): string[] => [...new Set(names.map(trimName).filter((name) => name.length > 1))];
  return {
    people: clean(doc.people().out('array') as string[]),
    organisations: clean(doc.organizations().out('array') as string[]),
    places: clean(doc.places().out('array') as string[]),
  };
}

/** Date and time phrases ("on Monday afternoon", "last Thursday", "in 2003"), as written. */
export function datePhrasesIn(text: string): string[] {
  const doc = parse(text) as Doc & { dates(): Doc; times(): Doc };
  return [...(doc.dates().out('array') as string[]), ...(doc.times().out('array') as string[])].map(trimName).filter(Boolean);
}

/** Drops surrounding punctuation and a possessive ending: "Roe’s" -> "Roe", "Coca-Cola," -> "Coca-Cola". */
export function trimName(name: string): string {
  return name
    .trim()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/['’]s$/u, '');
}

/** The infinitive of a verb form ("said" -> say, "told" -> tell). */
export function verbLemma(word: string): string {
  return lemmatizer.lemmatizeVerb(word.toLowerCase());
}
