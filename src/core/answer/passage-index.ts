import { STOP_WORDS, termOf, wordsOf, type AliasTable } from '../text.ts';
import { answerKindsIn, type AnswerKind } from './answer-kinds.ts';

/** A document is a few weighted fields of text: a paragraph, or a fact written out. */
export interface SearchDocument {
  fields: Array<{ text: string; weight: number; sentences?: boolean }>;
}

/** A sentence of a document's main text: where it stands (positions from `start` to before `end`) and its length. */
export interface SentenceStats {
  start: number;
  end: number;
  length: number;
  /** The kinds of answer it holds (a date, a number, a name). */
  kinds: ReadonlySet<AnswerKind>;
}

export interface DocumentStats {
  /** Weighted length (stop words left out). */
  length: number;
  /** Where each term stands in the document's word sequence (stop words counted), for proximity. */
  positions: ReadonlyMap<string, readonly number[]>;
  sentences: readonly SentenceStats[];
}

export interface Posting {
  doc: number;
  /** Field-weighted term frequency. */
  frequency: number;
}

/** Positions of different fields never count as near each other. */
const FIELD_GAP = 1000;
const SENTENCE_END = /(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[\p{Lu}\p{N}])/u;

/**
 * The inverted index: field-weighted term frequencies per document (BM25F-style), term
 * positions, and per-sentence counts of each paragraph's own text. Built once, linear in the text.
 */
export class PassageIndex {
  private readonly postingsByTerm = new Map<string, Posting[]>();
  readonly documents: DocumentStats[];
  readonly averageLength: number;
  readonly averageSentenceLength: number;
  /** Every word of the documents as written (folded), with its term: the typo corrector's vocabulary. */
  readonly surfaceWords = new Map<string, string>();
  private readonly idfs = new Map<string, number>();

  constructor(
    documents: readonly SearchDocument[],
    readonly aliases: AliasTable,
  ) {
    this.documents = documents.map((document, index) => this.addDocument(index, document));
    const total = this.documents.reduce((sum, stats) => sum + stats.length, 0);
    this.averageLength = total / Math.max(1, this.documents.length);
    const sentences = this.documents.flatMap((stats) => stats.sentences);
    this.averageSentenceLength = sentences.reduce((sum, sentence) => sum + sentence.length, 0) / Math.max(1, sentences.length);
    const count = this.documents.length;
    for (const [term, postings] of this.postingsByTerm) {
      this.idfs.set(term, Math.log(1 + (count - postings.length + 0.5) / (postings.length + 0.5)));
    }
  }

  get size(): number {
    return this.documents.length;
  }

  has(term: string): boolean {
    return this.postingsByTerm.has(term);
  }

  postings(term: string): readonly Posting[] {
    return this.postingsByTerm.get(term) ?? [];
  }

  idf(term: string): number {
    return this.idfs.get(term) ?? 0;
  }

  /** The IDF of a term no document holds: the most a word can weigh. */
  get unseenIdf(): number {
    return Math.log(1 + (this.documents.length + 0.5) / 0.5);
  }

  /** The terms of a text, processed as documents are. */
  termsOfText(text: string): Set<string> {
    return new Set(
      wordsOf(text, this.aliases)
        .filter((word) => !STOP_WORDS.has(word))
        .map(termOf),
    );
  }

  private addDocument(index: number, document: SearchDocument): DocumentStats {
    const positions = new Map<string, number[]>();
    const sentences: SentenceStats[] = [];
    let length = 0;
    document.fields.forEach((field, fieldIndex) => {
      if (!field.text) return;
      let position = fieldIndex * FIELD_GAP;
      const pieces = field.sentences ? field.text.split(SENTENCE_END) : [field.text];
      for (const piece of pieces) {
        const start = position + 1;
        let sentenceLength = 0;
        for (const word of wordsOf(piece, this.aliases)) {
          position++;
          if (STOP_WORDS.has(word)) continue;
          const term = this.termOfDocumentWord(word);
          const at = positions.get(term);
          if (at) at.push(position);
          else positions.set(term, [position]);
          sentenceLength++;
          length += field.weight;
        }
        if (field.sentences && sentenceLength > 0)
          sentences.push({ start, end: position + 1, length: sentenceLength, kinds: answerKindsIn(piece) });
      }
    });
    for (const [term, at] of positions) {
      // The field-weighted frequency, from the field each position falls in.
      let frequency = 0;
      for (const position of at) frequency += document.fields[Math.floor(position / FIELD_GAP)]?.weight ?? 0;
      const postings = this.postingsByTerm.get(term);
      if (postings) postings.push({ doc: index, frequency });
      else this.postingsByTerm.set(term, [{ doc: index, frequency }]);
    }
    return { length, positions, sentences };
  }

  private termOfDocumentWord(word: string): string {
    let term = this.surfaceWords.get(word);
    if (term === undefined) this.surfaceWords.set(word, (term = termOf(word)));
    return term;
  }
}
