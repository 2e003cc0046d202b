import { CHAT_WORDS, commonWords, informativeness, isEnglishWord, lemmasOf, relatedWords } from '../lexicon/index.ts';
import { ENTITY_PREFIX, foldForMatching, isEntityToken, STOP_WORDS, termOf, wordsOf } from '../text.ts';
import type { PassageIndex } from './passage-index.ts';
import { TypoCorrector } from './typo-corrector.ts';

/** How a question word found its terms in the documents. */
export type MatchKind = 'exact' | 'related' | 'corrected' | 'none';

/** One content word of the question and the terms it may match, each with a weight (1 for the word itself). */
export interface QueryWord {
  word: string;
  terms: ReadonlyMap<string, number>;
  /** How much the word says against everyday English (0..1): what coverage is measured in. */
  information: number;
  /** The IDF of its own term, or of an unseen term. */
  idf: number;
  match: MatchKind;
  /** A real English word (so not a typo). */
  english: boolean;
  /** Its place among the question's words, for proximity. */
  position: number;
  /** The word it was corrected to, when it was a typo. */
  correctedTo?: string;
}

export interface PreparedQuestion {
  /** The question's words as searched: folded, aliases as entity tokens, chat words written out. */
  text: string;
  words: QueryWord[];
}

/** Weights below an exact match: what the report says in other words counts for less. */
export const MATCH_WEIGHTS = {
  curatedSynonym: 0.8,
  corrected: 0.85,
  /** Scales WordNet's relation weights. */
  related: 0.5,
} as const;

/** The question-side mechanisms, each of which can be switched off to measure what it brings. */
export interface QuestionMechanisms {
  relatedWords: boolean;
  typoCorrection: boolean;
  chatWords: boolean;
}

export const ALL_MECHANISMS: QuestionMechanisms = { relatedWords: true, typoCorrection: true, chatWords: true };

export interface QuestionContext {
  mechanisms: QuestionMechanisms;
  index: PassageIndex;
  corrector: TypoCorrector;
  synonyms: ReadonlyMap<string, string[]>;
  /** Entity id -> how informative its name is (the entity token stands for a name of several words). */
  entityInformation: ReadonlyMap<string, number>;
  relatedToReport: RelatedToReport;
  /** A one-word name -> its entity's token: a typo corrected to a name must match the name's token. */
  nameTokens: ReadonlyMap<string, string>;
  /** A word's analysis depends only on the word and the documents: worked out once per engine. */
  analyzed: Map<string, Omit<QueryWord, 'position'> | null>;
}

const ANALYZED_WORDS_LIMIT = 20_000;

/** Everyday words a typo may be a misspelling of, beside the report's own ("abotu" -> about). */
const EVERYDAY_WORDS_FOR_TYPOS = 10_000;
let sharedEverydayCorrector: TypoCorrector | undefined;

/** One corrector over everyday English for every engine of the process: built once, its memo shared. */
function everydayCorrector(): TypoCorrector {
  sharedEverydayCorrector ??= new TypoCorrector(commonWords(EVERYDAY_WORDS_FOR_TYPOS));
  return sharedEverydayCorrector;
}

/** The question's content words, each with what it can match in the documents. Done once per question. */
export function prepareQuestion(question: string, context: QuestionContext): PreparedQuestion {
  const words: QueryWord[] = [];
  const seenTerms = new Set<string>();
  // Aliases first ("home sec" is a name before "sec" is short for anything), then chat words.
  const asked = wordsOf(foldForMatching(question), context.index.aliases);
  const expanded = context.mechanisms.chatWords
    ? asked.flatMap((word) => (CHAT_WORDS[word] && !isEntityToken(word) ? wordsOf(CHAT_WORDS[word]) : [word]))
    : asked;
  expanded.forEach((word, position) => {
    if (STOP_WORDS.has(word)) return;
    let analyzed = context.analyzed.get(word);
    if (analyzed === undefined) {
      analyzed = analyzeWord(word, context) ?? null;
      if (context.analyzed.size >= ANALYZED_WORDS_LIMIT) context.analyzed.clear();
      context.analyzed.set(word, analyzed);
    }
    if (!analyzed) return;
    const queryWord: QueryWord = { ...analyzed, position };
    const key = [...queryWord.terms.keys()][0] ?? termOf(queryWord.correctedTo ?? word);
    if (seenTerms.has(key)) return;
    seenTerms.add(key);
    words.push(queryWord);
  });
  return { text: expanded.join(' '), words };
}

function analyzeWord(word: string, context: QuestionContext): Omit<QueryWord, 'position'> | undefined {
  const { index } = context;
  if (isEntityToken(word)) {
    const information = context.entityInformation.get(word.slice(ENTITY_PREFIX.length)) ?? 1;
    return {
      word,
      terms: new Map([[word, 1]]),
      information,
      idf: index.idf(word),
      match: index.has(word) ? 'exact' : 'none',
      english: false,
    };
  }
  const term = termOf(word);
  const english = isEnglishWord(word) || /^\d+$/.test(word);
  const terms = new Map<string, number>();
  if (index.has(term)) terms.set(term, 1);
  addCuratedSynonyms(word, terms, context);
  if (context.mechanisms.relatedWords && !/\d/.test(word)) addRelatedWords(word, terms, context.relatedToReport);
  // A rare real word one edit from a far commoner word of the report is read as that word ("minster").
  // Not against everyday English: "lawer" is as near "later" as "lawyer", and the report cannot say which.
  const likelier = terms.size === 0 && english && context.mechanisms.typoCorrection ? context.corrector.correctRareWord(word) : undefined;
  if (likelier !== undefined) {
    const meant = correctedTerms(likelier, context);
    if (meant.terms.size > 0)
      return {
        word,
        terms: meant.terms,
        information: informativeness(likelier),
        idf: meant.idf,
        match: 'corrected',
        english: false,
        correctedTo: likelier,
      };
  }
  if (terms.size > 0 || english) {
    const match: MatchKind = terms.has(term) ? 'exact' : terms.size > 0 ? 'related' : 'none';
    return { word, terms, information: informativeness(word), idf: index.has(term) ? index.idf(term) : index.unseenIdf, match, english };
  }
  const corrected = context.mechanisms.typoCorrection ? (context.corrector.correct(word) ?? everydayCorrector().correct(word)) : undefined;
  if (corrected === undefined) {
    return { word, terms, information: informativeness(word), idf: index.unseenIdf, match: 'none', english: false };
  }
  // "abotu" is "about": a typo of a word that says nothing says nothing.
  if (STOP_WORDS.has(corrected)) return undefined;
  const meant = correctedTerms(corrected, context);
  return {
    word,
    terms: meant.terms,
    information: informativeness(corrected),
    idf: meant.idf,
    match: meant.terms.size > 0 ? 'corrected' : 'none',
    english: false,
    correctedTo: corrected,
  };
}

/**
 * What the word a typo meant matches, a little below the word itself: its own term (or a name's
 * token), and its synonyms and WordNet relations ("lawer" is "lawyer", and a lawyer is a solicitor).
 */
function correctedTerms(corrected: string, context: QuestionContext): { terms: Map<string, number>; idf: number } {
  const { index } = context;
  const terms = new Map<string, number>();
  const correctedTerm = context.nameTokens.get(corrected) ?? index.surfaceWords.get(corrected) ?? termOf(corrected);
  if (index.has(correctedTerm)) terms.set(correctedTerm, MATCH_WEIGHTS.corrected);
  const related = new Map<string, number>();
  addCuratedSynonyms(corrected, related, context);
  if (context.mechanisms.relatedWords) addRelatedWords(corrected, related, context.relatedToReport);
  for (const [term, weight] of related)
    if ((terms.get(term) ?? 0) < weight * MATCH_WEIGHTS.corrected) terms.set(term, weight * MATCH_WEIGHTS.corrected);
  return { terms, idf: index.has(correctedTerm) ? index.idf(correctedTerm) : index.unseenIdf };
}

function addCuratedSynonyms(word: string, terms: Map<string, number>, context: QuestionContext): void {
  for (const target of context.synonyms.get(word) ?? []) {
    for (const targetTerm of context.index.termsOfText(target)) {
      if (context.index.has(targetTerm) && (terms.get(targetTerm) ?? 0) < MATCH_WEIGHTS.curatedSynonym) {
        terms.set(targetTerm, MATCH_WEIGHTS.curatedSynonym);
      }
    }
  }
}

/** The report's terms WordNet relates to a question word (see relatedToReport). */
function addRelatedWords(word: string, terms: Map<string, number>, related: RelatedToReport): void {
  const ownTerm = termOf(word);
  for (const lemma of lemmasOf(word)) {
    for (const [term, weight] of related.get(lemma) ?? []) {
      const scaled = weight * MATCH_WEIGHTS.related;
      if (term !== ownTerm && (terms.get(term) ?? 0) < scaled) terms.set(term, scaled);
    }
  }
}

/** English word -> the report's terms it is related to, with the relation's weight. */
export type RelatedToReport = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * WordNet's relations of the report's own words, turned round: worked out once when the report is
 * indexed, so a question never waits on WordNet. Synonymy and related forms are symmetric, and
 * broader one way is narrower the other, with the same weight.
 */
export function relatedToReport(index: PassageIndex): RelatedToReport {
  const related = new Map<string, Map<string, number>>();
  for (const [word, term] of index.surfaceWords) {
    if (isEntityToken(word) || /\d/.test(word)) continue;
    for (const [other, weight] of relatedWords(lemmasOf(word))) {
      let terms = related.get(other);
      if (!terms) related.set(other, (terms = new Map()));
      if ((terms.get(term) ?? 0) < weight) terms.set(term, weight);
    }
  }
  return related;
}

/** Entity id -> the information of its most informative alias word, as a name of several words is one token. */
export function entityInformation(aliases: ReadonlyArray<{ alias: string; entityId: string }>): Map<string, number> {
  const information = new Map<string, number>();
  for (const { alias, entityId } of aliases) {
    const words = wordsOf(alias).filter((word) => !STOP_WORDS.has(word));
    const value = Math.max(0, ...words.map(informativeness));
    information.set(entityId, Math.max(information.get(entityId) ?? 0, value));
  }
  return information;
}
