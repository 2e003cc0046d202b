import { buildAliasTable, isEntityToken, sameLemma, STOP_WORDS, termOf, termsOf, wordsOf, type AliasTable } from '../text.ts';
import { isGenericWord } from './generic-words.ts';
import { TypoCorrector } from './typo-corrector.ts';

/** A document is a few weighted fields of text: a paragraph, or a fact written out. */
export interface SearchDocument {
  fields: Array<{ text: string; weight: number }>;
}

export interface Lexicon {
  /** Alias phrases folded to one entity token (Masood / Massood, ISIS / Islamic State). */
  aliases: Array<{ alias: string; entityId: string }>;
  /** A word people use -> words the documents use. */
  synonyms: Record<string, string[]>;
}

/** One word (or curated phrase) of the question and the terms it may match, each with a weight. */
export interface QueryWord {
  word: string;
  /** term -> weight (1 exact, less for a corrected spelling or a synonym). */
  terms: Map<string, number>;
  /** How much this word matters: the IDF of its own term (or of an unseen term); little for a generic word. */
  idf: number;
  /** A word that frames the question ("happened", "deal") rather than saying what it is about. */
  generic: boolean;
}

export interface RankedDocument {
  index: number;
  score: number;
  /** Share of the question's IDF mass that this document matches (0..1). */
  coverage: number;
  /** Terms of the question found in the document. */
  matchedTerms: string[];
}

export interface SearchResult {
  words: QueryWord[];
  ranked: RankedDocument[];
}

// BM25 parameters: the usual defaults; paragraphs are of similar length so b matters little.
const K1 = 1.2;
// Less length normalisation than the usual 0.75: facts are much shorter than paragraphs, and
// full normalisation lets a short fact win on one shared word.
const B = 0.5;
const CORRECTED_WEIGHT = 0.9;
const SYNONYM_WEIGHT = 0.6;
/** What a generic word ("happened", "deal", "went") weighs in the evidence test (see weighGenericWords). */
const GENERIC_EVIDENCE_SHARE = 0.2;

interface Posting {
  doc: number;
  frequency: number;
}

/**
 * A generic word weighs a share of the lightest content word of the question, however rare it is
 * in the report: it counts a little, never more than what the question is about. One the report
 * never uses ("deal", "tho") says nothing either way, and weighs nothing.
 */
function weighGenericWords(words: QueryWord[]): QueryWord[] {
  const contentRarities = words.filter((word) => !word.generic).map((word) => word.idf);
  const lightest = contentRarities.length > 0 ? Math.min(...contentRarities) : Infinity;
  return words.map((word) => {
    if (!word.generic) return word;
    return { ...word, idf: word.terms.size === 0 ? 0 : GENERIC_EVIDENCE_SHARE * Math.min(word.idf, lightest) };
  });
}

/** A query's per-document accumulators: dense arrays instead of maps of objects. */
class Scratch {
  readonly scores: Float64Array;
  readonly covered: Float64Array;
  readonly matched: Array<string[] | undefined>;
  readonly bestScore: Float64Array;
  readonly bestTerm: Array<string | undefined>;

  constructor(documentCount: number) {
    this.scores = new Float64Array(documentCount);
    this.covered = new Float64Array(documentCount);
    this.matched = new Array<string[] | undefined>(documentCount).fill(undefined);
    this.bestScore = new Float64Array(documentCount);
    this.bestTerm = new Array<string | undefined>(documentCount).fill(undefined);
  }

  /** Back to zero for the documents a query used (bestTerm is cleared as each word is done). */
  clear(used: readonly number[]): void {
    for (const index of used) {
      this.scores[index] = 0;
      this.covered[index] = 0;
      this.matched[index] = undefined;
    }
  }
}

/**
 * The `limit` first items in the order `before` (negative: a goes first), itself sorted: a bounded
 * heap whose root is the worst item kept, O(n log limit) instead of sorting all n.
 */
function selectBest(items: readonly number[], limit: number, before: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  const worse = (i: number, j: number): boolean => before(heap[i] ?? 0, heap[j] ?? 0) > 0;
  const swap = (i: number, j: number): void => {
    const held = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = held;
  };
  const siftDown = (start: number): void => {
    for (let at = start; ; ) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && worse(left, worst)) worst = left;
      if (right < heap.length && worse(right, worst)) worst = right;
      if (worst === at) return;
      swap(at, worst);
      at = worst;
    }
  };
  if (limit <= 0) return [];
  for (const item of items) {
    if (heap.length < limit) {
      heap.push(item);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(at, parent)) break;
        swap(at, parent);
        at = parent;
      }
    } else if (before(item, heap[0] ?? 0) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(before);
}

/**
 * BM25 over an inverted index, with the query side doing the fuzzy work: exact term first,
 * then curated synonyms, and only for a word the vocabulary does not know, a typo correction.
 * Pure and synchronous; building is linear in the size of the corpus.
 */
export class SearchIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly documentLengths: number[];
  private readonly averageLength: number;
  /** Per document, BM25's length normalisation `K1 * (1 - B + B * length / averageLength)`, worked out once. */
  private readonly lengthNorms: Float64Array;
  /** Per-document accumulators of a query, reused by the next one (see searchTop). */
  private scratch?: Scratch;
  /**
   * Build-time memo of a document word's term (null for a stop word): a corpus repeats a few
   * thousand words millions of times, and one lookup spares the stop-word test, the stemmer's
   * memo and the typo vocabulary's update.
   */
  private readonly documentTermByWord = new Map<string, string | null>();
  private readonly aliasTable: AliasTable;
  private readonly synonyms = new Map<string, string[]>();
  /** Synonym keys by term: "kills" and "killing" find the entry for "killed" (but "attack" not that of "attacker"). */
  private readonly synonymKeysByTerm = new Map<string, string[]>();
  /** Curated synonyms of another form of the same word ("kills", "killing" for "killed"). */
  private inflectedSynonyms(word: string): string[] {
    const keys = this.synonymKeysByTerm.get(termOf(word)) ?? [];
    return keys.filter((key) => sameLemma(key, word)).flatMap((key) => this.synonyms.get(key) ?? []);
  }

  /** Synonyms of several words ("take place", "on his own"), matched before stop words are dropped. */
  private readonly phraseSynonyms = new Map<string, string[]>();
  private longestPhrase = 1;
  /** Surface word (as people type it) -> its term; feeds the typo corrector. */
  private readonly surfaceTerms = new Map<string, string>();
  private readonly corrector: TypoCorrector;

  constructor(documents: SearchDocument[], lexicon: Lexicon) {
    this.aliasTable = buildAliasTable(lexicon.aliases);
    this.documentLengths = documents.map((document, index) => this.addDocument(index, document));
    this.averageLength = this.documentLengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
    this.lengthNorms = Float64Array.from(this.documentLengths, (length) => K1 * (1 - B + (B * length) / this.averageLength));
    this.documentTermByWord.clear();

    for (const [word, targets] of Object.entries(lexicon.synonyms)) {
      const words = wordsOf(word);
      const key = words.join(' ');
      if (words.length > 1) {
        this.phraseSynonyms.set(key, targets);
        this.longestPhrase = Math.max(this.longestPhrase, words.length);
        continue;
      }
      this.synonyms.set(key, targets);
      this.surfaceTerms.set(key, termOf(key));
      const term = termOf(key);
      this.synonymKeysByTerm.set(term, [...(this.synonymKeysByTerm.get(term) ?? []), key]);
    }
    const names: string[] = [];
    for (const { alias, entityId } of lexicon.aliases) {
      const words = wordsOf(alias);
      if (words.length !== 1 || !words[0]) continue;
      this.surfaceTerms.set(words[0], `ent:${entityId}`);
      names.push(words[0]);
    }
    this.corrector = new TypoCorrector(this.surfaceTerms.keys(), names);
  }

  get size(): number {
    return this.documentLengths.length;
  }

  private addDocument(index: number, document: SearchDocument): number {
    let length = 0;
    const frequencies = new Map<string, number>();
    for (const field of document.fields) {
      for (const word of wordsOf(field.text, this.aliasTable)) {
        let term = this.documentTermByWord.get(word);
        if (term === undefined) {
          term = STOP_WORDS.has(word) ? null : termOf(word);
          this.documentTermByWord.set(word, term);
          // Set once per word: later sets of the same word would change neither value nor order.
          if (term !== null && !isEntityToken(word)) this.surfaceTerms.set(word, term);
        }
        if (term === null) continue;
        frequencies.set(term, (frequencies.get(term) ?? 0) + field.weight);
        length += field.weight;
      }
    }
    for (const [term, frequency] of frequencies) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ doc: index, frequency });
    }
    return length;
  }

  private idf(term: string): number {
    const documentFrequency = this.postings.get(term)?.length ?? 0;
    const total = this.documentLengths.length;
    return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /**
   * The question's words and what each may match: curated phrases first ("on his own" -> alone),
   * then single words; stop words are dropped unless curated synonyms give them a sense.
   */
  analyze(question: string): QueryWord[] {
    const seen = new Set<string>();
    const words: QueryWord[] = [];
    const all = wordsOf(question, this.aliasTable);
    for (let index = 0; index < all.length; index++) {
      const phrase = this.phraseAt(all, index);
      if (phrase) {
        index += phrase.length - 1;
        if (!seen.has(phrase.key)) words.push(this.expandPhrase(phrase.key, phrase.targets));
        seen.add(phrase.key);
        continue;
      }
      const word = all[index] ?? '';
      if (seen.has(word)) continue;
      seen.add(word);
      if (!STOP_WORDS.has(word)) words.push(this.expand(word));
      // "Why" -> reason, motive: a stop word with a curated sense is kept, as a generic word.
      else if (this.synonyms.has(word)) words.push({ ...this.expand(word), generic: true });
    }
    return weighGenericWords(words);
  }

  /** The longest curated phrase starting at `start`, if any. */
  private phraseAt(words: string[], start: number): { key: string; length: number; targets: string[] } | undefined {
    for (let length = Math.min(this.longestPhrase, words.length - start); length > 1; length--) {
      const key = words.slice(start, start + length).join(' ');
      const targets = this.phraseSynonyms.get(key);
      if (targets) return { key, length, targets };
    }
    return undefined;
  }

  /** A phrase means its targets: it weighs as the rarest of them, and is generic if they all are. */
  private expandPhrase(phrase: string, targets: string[]): QueryWord {
    const terms = new Map<string, number>();
    let rarity = 0;
    for (const target of targets) {
      for (const term of termsOf(target, this.aliasTable)) {
        if (!this.postings.has(term)) continue;
        terms.set(term, SYNONYM_WEIGHT);
        rarity = Math.max(rarity, this.idf(term));
      }
    }
    if (terms.size === 0) rarity = this.idf('\u0000unseen');
    const generic = targets.every((target) => wordsOf(target).every((word) => isGenericWord(word) || STOP_WORDS.has(word)));
    return { word: phrase, terms, idf: rarity, generic };
  }

  private expand(word: string): QueryWord {
    const terms = new Map<string, number>();
    const add = (term: string, weight: number): void => {
      if (this.postings.has(term) && (terms.get(term) ?? 0) < weight) terms.set(term, weight);
    };
    const term = termOf(word);
    add(term, 1);

    let known = word;
    const synonyms = (word: string): string[] => this.synonyms.get(word) ?? this.inflectedSynonyms(word);
    if (terms.size === 0 && !isEntityToken(word) && synonyms(word).length === 0) {
      const corrected = this.corrector.correct(word);
      if (corrected !== undefined) {
        known = corrected;
        const correctedTerm = this.surfaceTerms.get(corrected);
        if (correctedTerm !== undefined) add(correctedTerm, CORRECTED_WEIGHT);
      }
    }
    for (const synonym of synonyms(known)) {
      for (const synonymTerm of termsOf(synonym, this.aliasTable)) add(synonymTerm, SYNONYM_WEIGHT);
    }
    // An unseen word is as rare as a word can be: it weighs fully against coverage.
    const rarity = terms.has(term) ? this.idf(term) : this.idf('\u0000unseen');
    const generic = isGenericWord(word);
    return { word, terms, idf: rarity, generic };
  }

  /**
   * @param boost multiplies a document's score, e.g. to favour timeline events for "when" questions.
   */
  search(question: string, boost?: (index: number) => number): SearchResult {
    return this.searchTop(question, boost, Infinity);
  }

  /**
   * `search`, with only the first `limit` documents of its ranking (the same documents, in the
   * same order). Callers that look at the best few spare ranking, and allocating, all the rest.
   */
  searchTop(question: string, boost: ((index: number) => number) | undefined, limit: number): SearchResult {
    const words = this.analyze(question);
    const totalIdf = words.reduce((sum, word) => sum + word.idf, 0);
    // Dense per-document accumulators instead of maps of objects: a common word's postings reach
    // a large share of the corpus, and this loop is most of a query's time on a large one.
    // They are kept between queries (cleared for the documents used) so a query allocates little:
    // fewer young-generation collections land on a query's clock.
    const scratch = this.scratch ?? new Scratch(this.documentLengths.length);
    this.scratch = undefined; // taken: a query started from a boost callback gets its own
    const { scores, covered, matched, bestScore, bestTerm } = scratch;
    /** Documents matched by any word, in the order first matched. */
    const touched: number[] = [];
    // Per word, bestScore and bestTerm hold the best of its terms for each document (bestTerm undefined: not matched yet).

    for (const word of words) {
      // Per document, a word counts once: through the best of its terms.
      const wordDocuments: number[] = [];
      for (const [term, weight] of word.terms) {
        const idf = this.idf(term);
        for (const { doc, frequency } of this.postings.get(term) ?? []) {
          const saturation = (frequency * (K1 + 1)) / (frequency + (this.lengthNorms[doc] ?? K1));
          const score = weight * idf * saturation;
          if (bestTerm[doc] === undefined) {
            wordDocuments.push(doc);
            bestScore[doc] = score;
            bestTerm[doc] = term;
          } else if (score > (bestScore[doc] ?? 0)) {
            bestScore[doc] = score;
            bestTerm[doc] = term;
          }
        }
      }
      for (const doc of wordDocuments) {
        let terms = matched[doc];
        if (terms === undefined) {
          matched[doc] = terms = [];
          touched.push(doc);
        }
        scores[doc] = (scores[doc] ?? 0) + (bestScore[doc] ?? 0);
        // Coverage asks whether the question's concept is present: a curated synonym or a corrected
        // spelling is as present as the exact word, even though it scores lower.
        covered[doc] = (covered[doc] ?? 0) + word.idf;
        terms.push(bestTerm[doc] ?? '');
        bestTerm[doc] = undefined;
      }
    }

    const finalScores = scores; // reused in place: each document's raw score is read once, just below
    for (const index of touched) {
      const coverage = totalIdf > 0 ? Math.min(1, (covered[index] ?? 0) / totalIdf) : 0;
      covered[index] = coverage;
      // Scaled by coverage (Lucene's old coordination factor): a passage matching the whole
      // question beats one that repeats a single common word ("attack" twice).
      const score = scores[index] ?? 0;
      finalScores[index] = (boost ? score * boost(index) : score) * coverage;
    }
    // Best first, ties by document order: a total order, so the first `limit` are the same
    // whether all are sorted or only the best are selected.
    const before = (a: number, b: number): number => (finalScores[b] ?? 0) - (finalScores[a] ?? 0) || a - b;
    const best = touched.length > limit ? selectBest(touched, limit, before) : touched.sort(before);
    const ranked = best.map((index): RankedDocument => ({
      index,
      score: finalScores[index] ?? 0,
      coverage: covered[index] ?? 0,
      matchedTerms: matched[index] ?? [],
    }));
    scratch.clear(touched);
    this.scratch = scratch;
    return { words, ranked };
  }

  /** The documents that contain a term. */
  documentsWith(term: string): number[] {
    return (this.postings.get(term) ?? []).map((posting) => posting.doc);
  }

  /** The searchable terms of any text, processed as documents are. */
  termsOfText(text: string): Set<string> {
    return new Set(termsOf(text, this.aliasTable));
  }

  /**
   * Share of the words' IDF mass that a text's terms match (through any of each word's terms, or with
   * `exactOnly` through the word itself or its corrected spelling, not a synonym).
   */
  coverageOf(words: QueryWord[], textTerms: ReadonlySet<string>, options: { exactOnly?: boolean } = {}): number {
    const minimumWeight = options.exactOnly ? CORRECTED_WEIGHT : 0;
    const matches = (word: QueryWord): boolean => [...word.terms].some(([term, weight]) => weight >= minimumWeight && textTerms.has(term));
    const total = words.reduce((sum, word) => sum + word.idf, 0);
    const covered = words.reduce((sum, word) => sum + (matches(word) ? word.idf : 0), 0);
    return total > 0 ? covered / total : 0;
  }

  /** The term a word of a passage indexes under, for highlighting. */
  termOfWord(word: string): string {
    return termOf(word);
  }

  get aliases(): AliasTable {
    return this.aliasTable;
  }
}
