import Fuse from 'fuse.js';
import type { Answer, Hit, QuestionProblem } from './answer-types.ts';
import type { FactKind, Knowledge, Paragraph, Report } from './knowledge/types.ts';
import { buildDocuments, buildLexicon, paragraphKey, type IndexedDocument } from './search/documents.ts';
import { answerKindsInText, answerTextOf, asksForHowTo, clausesOf, expectedAnswer, holdsAnswerKind, TOPIC_SENSITIVE_KINDS, timeAnchorsIn, type AnswerKind, type AnswerText, type ExpectedAnswer } from './search/expected-answer.ts';
import { SearchIndex, type QueryWord, type RankedDocument } from './search/search-index.ts';
import { isEnglishWord } from './search/typo-corrector.ts';
import { aliasesIn, type AliasTable, ENTITY_PREFIX, foldForMatching, isEntityToken, normalizeText, STOP_WORDS, termOf, wordsOf } from './text.ts';

export const MAX_QUESTION_LENGTH = 300;
export const MAX_HITS = 5;
const MAX_SUGGESTIONS = 3;

/**
 * The evidence test for answering at all. One of the top passages must match most of what the
 * question is about, weighted by how rare each word is (an unknown content word weighs as much
 * as the rarest, a generic word little: see SearchIndex.analyze): raw BM25 scores of on- and
 * off-topic questions overlap, but coverage separates them. Measured: 0.5-0.55 keeps on-topic
 * questions with one unmatched word; 0.6 starts declining them, with no off-topic gain.
 */
const MIN_COVERAGE = 0.55;
const EVIDENCE_DEPTH = 3;
/**
 * A name is given only for an entity that the question describes almost entirely by what
 * identifies it: "the home secretary" is Amber Rudd, "the police officer who was stabbed" is nobody here.
 */
const MIN_IDENTITY_COVERAGE = 0.75;
/**
 * An entity named in fewer than this share of the paragraphs must be named by the evidence too
 * (see requiredEntityTokens); a more frequent one may be left implicit.
 */
const MAX_IMPLICIT_ENTITY_SHARE = 0.25;
/** How many of the best matches are checked for the kind of answer a question asks for. */
const MAX_ANSWER_CANDIDATES = 50;
/** How many of the best matches may give hits (and paragraphs to show for facts). */
const MAX_HIT_CANDIDATES = 100;
/** Further hits are shown only if they are reasonably close to the best one. */
const MIN_RELATIVE_SCORE = 0.3;

/** How much a fact of the kind a question asks for ("when" -> a timeline event) is favoured. */
const INTENT_BOOST = 1.3;
/** And a little more for the kind the question asks for first: X's quote before X's card for "what did X say". */
const FIRST_INTENT_BOOST = 1.15;

/** The kinds of fact that answer a question's form: who -> people and quotes, when -> events. */
export function preferredFactKinds(question: string): ReadonlySet<FactKind> {
  const opening = foldForMatching(question).replace(/^[^a-z]+/, '');
  if (/^(who is|who's|whos|who was|who are|who were)\b/.test(opening)) return new Set(['entity']);
  if (/\b(say|said|says|saying|quote|quoted|quotes|statement|comment|comments)\b/.test(opening)) return new Set(['quote', 'entity']);
  if (/^(who|which)\b/.test(opening)) return new Set(['entity', 'quote', 'arrest']);
  if (/^(when|what time|what day|how long|since when)\b/.test(opening)) return new Set(['event']);
  if (/^(how many|how much)\b/.test(opening)) return new Set(['arrest']);
  return new Set();
}

/** Checks a question before searching: a clear message instead of a random paragraph. */
export function checkQuestion(question: string): QuestionProblem | undefined {
  const text = normalizeText(question.replace(/\p{Cc}/gu, ' '));
  if (text.length === 0) return { code: 'empty', message: 'Ask a question about the report, e.g. "who was arrested?"' };
  if (text.length > MAX_QUESTION_LENGTH) {
    return { code: 'too-long', message: `That question is ${text.length} characters long; please keep it under ${MAX_QUESTION_LENGTH}.` };
  }
  const words = wordsOf(text);
  if (words.length === 0) return { code: 'no-words', message: 'I could not find any words in that. Ask a question in words, e.g. "who was arrested?"' };
  if (words.every((word) => STOP_WORDS.has(word))) {
    return { code: 'only-stop-words', message: 'That is too general to look up. Ask about something in the report, e.g. "what did Amber Rudd say?"' };
  }
  return undefined;
}

/** The form under which declined questions are counted: "Who shot JR??" and "who shot jr" are one. */
export function normalizeQuestion(question: string): string {
  return foldForMatching(cleanQuestion(question))
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes what must not reach the search: markdown symbols, mentions, custom emoji, control characters. */
export function cleanQuestion(question: string): string {
  return question
    .replace(/<a?:(\w+):\d+>/g, ' ') // custom emoji
    .replace(/<(@[!&]?|#)\d+>/g, ' ') // user, role and channel mentions
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[*_~`|>#]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Answers are pure functions of the question and the knowledge, and communities ask the same
 * questions again (suggestions, autocomplete, pinned questions): the most recent are kept.
 */
const DEFAULT_ANSWER_CACHE_SIZE = 1000;
const WARM_UP_DECLINED = 'what is the capital of france';
const WARM_UP_TYPO = 'when was the womann arested';

export interface AnswerEngineOptions {
  /** How many recent answers to keep; 0 turns the cache off (benchmarks measure the search itself). */
  answerCacheSize?: number;
}

export class AnswerEngine {
  private readonly recentAnswers = new Map<string, Answer>();
  private readonly answerCacheSize: number;
  private readonly documents: IndexedDocument[];
  private readonly index: SearchIndex;
  private readonly suggestionSearch: Fuse<string>;
  private readonly suggestions: string[];
  /** Per document, per clause: the kinds of answer it holds (an age, a day, a place...) and its terms; worked out on first need. */
  private readonly clauseCache = new Map<number, readonly Clause[]>();
  /** Per entity document with a proper name: the terms of what identifies it (name, aliases, role, keywords). */
  private readonly namedEntityIdentity = new Map<number, ReadonlySet<string>>();
  /**
   * Entities that a passage answering a question about them must name: those with a proper name
   * that few paragraphs mention. One the report is mostly about (Masood, ISIS) is often only
   * "he" or "the group" in the passage that answers.
   */
  private readonly requiredEntityTokens = new Set<string>();
  private readonly passageWords = new PassageWords();
  /** Suggested question -> the paragraph that answers it, worked out on first need. */
  private suggestionParagraphs?: Map<string, string | undefined>;

  constructor(readonly knowledge: Knowledge, options: AnswerEngineOptions = {}) {
    this.answerCacheSize = options.answerCacheSize ?? DEFAULT_ANSWER_CACHE_SIZE;
    this.documents = buildDocuments(knowledge);
    this.index = new SearchIndex(this.documents, buildLexicon(knowledge));
    const paragraphCount = this.documents.filter((document) => !document.fact).length;
    const paragraphShare = (token: string): number =>
      this.index.documentsWith(token).filter((index) => !this.documents[index]?.fact).length / Math.max(1, paragraphCount);
    this.documents.forEach((document, index) => {
      if (document.fact?.kind !== 'entity') return;
      const entity = document.report.facts.entities.find((candidate) => candidate.id === document.fact?.id);
      if (!entity || !hasProperName(entity.name)) return;
      this.namedEntityIdentity.set(index, this.index.termsOfText([entity.name, ...entity.aliases, entity.role, ...(entity.keywords ?? [])].join(' ; ')));
      const token = `${ENTITY_PREFIX}${entity.id}`;
      if (paragraphShare(token) < MAX_IMPLICIT_ENTITY_SHARE) this.requiredEntityTokens.add(token);
    });
    this.suggestions = [...new Set(knowledge.reports.flatMap((report) => report.facts.suggestedQuestions))];
    this.suggestionSearch = new Fuse(this.suggestions, { threshold: 0.4, ignoreLocation: true, includeScore: true });
    // Run every path once (answers, declines with suggestions, typo correction) so the first
    // people to ask do not pay for the JIT compiling them. Nothing is kept: the cache stays empty.
    for (const question of [...this.suggestions, WARM_UP_DECLINED, WARM_UP_TYPO]) this.answer(question);
  }

  get paragraphCount(): number {
    return this.knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
  }

  /** Answers a question, or says the report does not cover it (with suggestions). */
  ask(rawQuestion: string): Answer {
    const cached = this.recentAnswers.get(rawQuestion);
    if (cached) {
      // Refresh its place: the map's insertion order is the least-recently-used order.
      this.recentAnswers.delete(rawQuestion);
      this.recentAnswers.set(rawQuestion, cached);
      return cached;
    }
    const answer = this.answer(rawQuestion);
    this.recentAnswers.set(rawQuestion, answer);
    if (this.recentAnswers.size > this.answerCacheSize) this.recentAnswers.delete(this.recentAnswers.keys().next().value as string);
    return answer;
  }

  private answer(rawQuestion: string): Answer {
    const question = cleanQuestion(rawQuestion);
    // Suggestions reuse the question's ranking once there is one.
    const declined = (ranked?: RankedDocument[]): Answer => ({ question: rawQuestion, answered: false, hits: [], suggestions: this.suggestFor(question, ranked) });
    if (!this.isSearchable(question) || asksForHowTo(question)) return declined();

    const expected = expectedAnswer(question);
    // No step below looks past the best MAX_HIT_CANDIDATES documents (see hitsFrom, answering, hasEvidence).
    const search = this.index.searchTop(expected?.topic ?? question, this.intentBoost(question), MAX_HIT_CANDIDATES);
    if (isSmallTalk(question, search.words)) return declined(search.ranked);
    // A question asking for an age, a day, a name... is answered only by passages that hold one.
    const ranked = expected ? this.answering(search.ranked, search.words, expected) : search.ranked;
    if (!this.hasEvidence(ranked, search.words)) return declined(search.ranked);
    return { question: rawQuestion, answered: true, hits: this.hitsFrom(ranked, search.words), suggestions: [] };
  }

  /** "Why did he do it?" is all stop words, but "why" has a curated sense (reason, motive). */
  private isSearchable(question: string): boolean {
    const problem = checkQuestion(question);
    return !problem || (problem.code === 'only-stop-words' && this.index.analyze(question).length > 0);
  }

  /** Favours the facts of the kind the question's form asks for, the first of them most. */
  private intentBoost(question: string): (index: number) => number {
    const preferred = preferredFactKinds(question);
    const firstPreferred = [...preferred][0];
    return (index) => {
      const kind = this.documents[index]?.fact?.kind;
      if (!kind || !preferred.has(kind)) return 1;
      return kind === firstPreferred ? INTENT_BOOST * FIRST_INTENT_BOOST : INTENT_BOOST;
    };
  }

  /**
   * The evidence test. It looks at the few best documents, not only the first: a boosted fact card
   * may rank first while the paragraph just below it is the one covering the whole question.
   * A date or number the question names ("in June", "the 45-year-old") must be in the evidence:
   * without it the passage is about another event or person, however much else it shares. So
   * must a person or group the question names: "who leads al-Qaeda?" is not answered by a
   * passage about leads that never names al-Qaeda.
   */
  private hasEvidence(ranked: RankedDocument[], words: QueryWord[]): boolean {
    const constraints = words.filter((word) => isTimeOrNumberConstraint(word.word) || this.requiredEntityTokens.has(word.word));
    const meetsConstraints = (candidate: RankedDocument): boolean =>
      constraints.every((word) => [...word.terms.keys()].some((term) => candidate.matchedTerms.includes(term)));
    return ranked.slice(0, EVIDENCE_DEPTH).some((candidate) => candidate.coverage >= MIN_COVERAGE && meetsConstraints(candidate));
  }

  /** Up to MAX_HITS passages, one per paragraph, close enough to the best one. */
  private hitsFrom(allRanked: RankedDocument[], words: QueryWord[]): Hit[] {
    const ranked = allRanked.slice(0, MAX_HIT_CANDIDATES);
    const top = ranked[0];
    if (!top) return [];
    const onlyEntities = words.every((word) => word.generic || [...word.terms.keys()].some(isEntityToken));
    const hits: Hit[] = [];
    const shownParagraphs = new Set<string>();
    const paragraphScores = new Map<string, number>();
    for (const candidate of ranked) {
      const document = this.documents[candidate.index];
      if (document && !document.fact) paragraphScores.set(document.key, candidate.score);
    }
    for (const candidate of ranked) {
      if (hits.length >= MAX_HITS) break;
      // Scores are scaled by coverage to rank; "close enough" compares them unscaled, so a passage
      // on part of the question (the other arrests, for "who was arrested in Birmingham") still shows.
      if (unscaled(candidate) < unscaled(top) * MIN_RELATIVE_SCORE) continue;
      const document = this.documents[candidate.index];
      if (!document) continue;
      const paragraph = this.bestCitedParagraph(document, paragraphScores, onlyEntities);
      // One hit per paragraph: a fact and the paragraph it cites would show the same passage twice.
      const shown = paragraphKey(document.report.meta.id, paragraph.number);
      if (shownParagraphs.has(shown)) continue;
      shownParagraphs.add(shown);
      hits.push(this.toHit({ ...document, paragraph }, candidate, top));
    }
    return hits;
  }

  /**
   * The candidates that hold the kind of answer asked for. For a name: an entity named by what
   * identifies it, or a passage telling what someone was called.
   */
  private answering(allRanked: RankedDocument[], words: QueryWord[], expected: ExpectedAnswer): RankedDocument[] {
    // Only the best matches can be answers; checking them all would cost a large corpus dearly.
    const ranked = allRanked.slice(0, MAX_ANSWER_CANDIDATES);
    const holdingAnswer = new Set(this.holdingAnswer(ranked, words, expected));
    const named = expected.kind === 'name' ? new Set(this.namedEntities(ranked, words, expected)) : new Set<RankedDocument>();
    return ranked.filter((candidate) => holdingAnswer.has(candidate) || named.has(candidate));
  }

  /** The candidates with a clause that holds the kind of answer asked for, next to what the question is about. */
  private holdingAnswer(ranked: RankedDocument[], words: QueryWord[], expected: ExpectedAnswer): RankedDocument[] {
    const content = words.filter((word) => !word.generic);
    const topicTerms = new Set((content.length > 0 ? content : words).flatMap((word) => [...word.terms.keys()]));
    // A word the question itself takes as its reference point ("how long after the attack") is not its subject.
    const questionAnchors = new Set(timeAnchorsIn(expected.topic).map(termOf));
    // Memos for this question: candidates share words, and facts repeat their paragraphs' clauses.
    const topicByWord = new Map<string, boolean>();
    const isTopic = (word: string): boolean => {
      let topic = topicByWord.get(word);
      if (topic === undefined) {
        const term = termOf(word);
        topicByWord.set(word, (topic = topicTerms.has(term) && !questionAnchors.has(term)));
      }
      return topic;
    };
    const answerByClause = new Map<string, boolean>();
    const answers = (clause: Clause): boolean => {
      if (!clause.kinds.has(expected.kind) || !sharesAny(clause.terms, topicTerms)) return false;
      // "One day after the attack" answers when ISIS claimed it, not when the attack was.
      if (!TOPIC_SENSITIVE_KINDS.has(expected.kind)) return true;
      let answer = answerByClause.get(clause.text);
      if (answer === undefined) answerByClause.set(clause.text, (answer = holdsAnswerKind(clause.answerText, expected.kind, isTopic)));
      return answer;
    };
    return ranked.filter((candidate) => this.clausesOf(candidate.index).some(answers));
  }

  private clausesOf(index: number): readonly Clause[] {
    let clauses = this.clauseCache.get(index);
    if (!clauses) {
      const fields = this.documents[index]?.fields ?? [];
      clauses = fields
        .flatMap((field) => clausesOf(field.text))
        .map((text) => {
          const answerText = answerTextOf(text);
          return { text, answerText, kinds: answerKindsInText(answerText), terms: this.index.termsOfText(text) };
        });
      this.clauseCache.set(index, clauses);
    }
    return clauses;
  }

  /**
   * Entity cards answering a question for a name. Only entities with a proper name qualify, and
   * what identifies the entity (not its story) must match the question: Masood's card tells of
   * the officer he stabbed, but is no answer to the officer's name.
   */
  private namedEntities(ranked: RankedDocument[], words: QueryWord[], expected: ExpectedAnswer): RankedDocument[] {
    // "What is WhatsApp's encryption called?": the owner named in the question is not the answer.
    const owners = new Set(
      aliasesIn(expected.topic, this.index.aliases).flatMap(({ text, entityId }) => (text.endsWith("'s") ? [entityId] : [])),
    );
    return ranked.filter((candidate) => {
      const entityId = this.documents[candidate.index]?.fact?.id;
      const identity = this.namedEntityIdentity.get(candidate.index);
      if (identity === undefined || entityId === undefined || owners.has(entityId)) return false;
      // Synonyms are too loose to name someone: "officer" is close to "police chief", but not him.
      return this.index.coverageOf(words, identity, { exactOnly: true }) >= MIN_IDENTITY_COVERAGE;
    });
  }

  /** Of the paragraphs a fact cites, the one that matches the question best is the passage to show. */
  private bestCitedParagraph(document: IndexedDocument, paragraphScores: Map<string, number>, onlyEntities: boolean): Paragraph {
    // An entity's first paragraph is curated as the one that introduces it: the passage for "who
    // is X?". A question about more than X ("did he use WhatsApp right before?") gets the cited
    // paragraph that matches it best.
    if (document.citedParagraphs.length < 2 || (document.fact?.kind === 'entity' && onlyEntities)) return document.paragraph;
    const reportId = document.report.meta.id;
    let best = document.paragraph;
    let bestScore = paragraphScores.get(paragraphKey(reportId, best.number)) ?? 0;
    for (const number of document.citedParagraphs) {
      const score = paragraphScores.get(paragraphKey(reportId, number)) ?? 0;
      const paragraph = document.report.paragraphs.find((candidate) => candidate.number === number);
      if (paragraph && score > bestScore) {
        best = paragraph;
        bestScore = score;
      }
    }
    return best;
  }

  /** The hits for given document keys, in that order (for "Other passages" and pinned answers). */
  hitsForKeys(keys: string[]): Hit[] {
    return keys.flatMap((key) => {
      const document = this.documents.find((candidate) => candidate.key === key);
      return document ? [this.toHit(document, { index: 0, score: 0, coverage: 1, matchedTerms: [] }, undefined)] : [];
    });
  }

  /**
   * How alike two questions are (0..1): the overlap of what they ask about, after typo
   * correction, aliases and stemming. Used to serve a pinned answer to a paraphrase of its question.
   */
  questionSimilarity(a: string, b: string): number {
    return this.closestQuestion(a, [b])?.similarity ?? 0;
  }

  /** The candidate most alike to the question (see questionSimilarity); the question is analysed once. */
  closestQuestion(question: string, candidates: readonly string[]): { index: number; similarity: number } | undefined {
    const asked = this.concepts(question);
    let best: { index: number; similarity: number } | undefined;
    candidates.forEach((candidate, index) => {
      const other = this.concepts(candidate);
      if (asked.size === 0 || other.size === 0) return;
      const shared = [...asked].filter((concept) => other.has(concept)).length;
      const similarity = shared / (asked.size + other.size - shared);
      if (!best || similarity > best.similarity) best = { index, similarity };
    });
    return best;
  }

  private concepts(question: string): Set<string> {
    return new Set(this.index.analyze(cleanQuestion(question)).map((word) => [...word.terms.keys()][0] ?? word.word));
  }

  findReport(reportId?: string): Report | undefined {
    return reportId ? this.knowledge.reports.find((report) => report.meta.id === reportId) : this.knowledge.reports[0];
  }

  /** Autocomplete: suggested questions ranked for what has been typed. */
  suggest(typed: string, limit = 25): string[] {
    const text = typed.trim();
    if (!text) return this.suggestions.slice(0, limit);
    const prefix = foldForMatching(text);
    const startsWith = this.suggestions.filter((suggestion) => foldForMatching(suggestion).startsWith(prefix));
    const fuzzy = this.suggestionSearch.search(text, { limit }).map((result) => result.item);
    // Then questions whose answers share the typed words, so "arest" still offers the arrests.
    const related = this.relatedSuggestions(this.index.search(text).ranked);
    return [...new Set([...startsWith, ...fuzzy, ...related])].slice(0, limit);
  }

  /** The suggested questions answered by one of the paragraphs that rank best for a question. */
  private relatedSuggestions(ranked: RankedDocument[]): string[] {
    const topParagraphs = new Set(
      ranked.slice(0, 3).flatMap((candidate) => {
        const document = this.documents[candidate.index];
        return document ? [paragraphKey(document.report.meta.id, document.paragraph.number)] : [];
      }),
    );
    if (topParagraphs.size === 0) return [];
    this.suggestionParagraphs ??= new Map(
      this.suggestions.map((suggestion) => {
        const best = this.index.searchTop(suggestion, undefined, 1).ranked[0];
        const document = best ? this.documents[best.index] : undefined;
        return [suggestion, document && paragraphKey(document.report.meta.id, document.paragraph.number)];
      }),
    );
    const answers = this.suggestionParagraphs;
    return this.suggestions.filter((suggestion) => {
      const paragraph = answers.get(suggestion);
      return paragraph !== undefined && topParagraphs.has(paragraph);
    });
  }

  /** Up to three questions the report covers, closest to what was asked first. */
  private suggestFor(question: string, ranked?: RankedDocument[]): string[] {
    const related = ranked ? this.relatedSuggestions(ranked) : question ? this.relatedSuggestions(this.index.search(question).ranked) : [];
    return [...new Set([...related, ...this.suggestions])].slice(0, MAX_SUGGESTIONS);
  }

  private toHit(document: IndexedDocument, ranked: RankedDocument, top: RankedDocument | undefined): Hit {
    const { report, paragraph, fact } = document;
    const claim = fact?.claim ?? report.facts.claims.find((candidate) => candidate.paragraphs[0] === paragraph.number);
    const attribution = fact?.kind === 'quote' ? this.quoteAttribution(report, fact.id) : paragraphAttribution(report, paragraph);
    const confidence = top ? ranked.coverage * Math.min(1, ranked.score / Math.max(top.score, 1e-9)) : 1;
    return {
      kind: fact ? 'fact' : 'paragraph',
      ...(fact && { factKind: fact.kind, factId: fact.id, summary: fact.summary }),
      key: document.key,
      report: report.meta.id,
      reportTitle: report.meta.title,
      reportUrl: report.meta.url,
      paragraph: paragraph.number,
      passage: paragraph.text,
      attribution: attribution.line,
      ...(attribution.speaker && { speaker: attribution.speaker }),
      ...(claim && claim.status !== 'confirmed' && { claimStatus: claim.status, claim: { text: claim.claim, claimedBy: claim.claimedBy, evidence: claim.evidence, evidenceBy: claim.evidenceBy } }),
      highlights: highlightsIn(paragraph.text, new Set(ranked.matchedTerms), this.index, this.passageWords),
      score: Math.round(ranked.score * 1000) / 1000,
      confidence: Math.round(confidence * 100) / 100,
    };
  }

  private quoteAttribution(report: Report, quoteId: string): Attribution {
    const quote = report.facts.quotes.find((candidate) => candidate.id === quoteId);
    const speaker = quote && report.facts.entities.find((entity) => entity.id === quote.speaker);
    if (!quote || !speaker) return { line: 'the report' };
    return {
      line: [speaker.name, quote.role, quote.occasion].filter(Boolean).join(', '),
      speaker: { name: speaker.name, role: quote.role },
    };
  }
}

/** A document's BM25 score before the coverage scaling of the ranking. */
function unscaled(candidate: RankedDocument): number {
  return candidate.coverage > 0 ? candidate.score / candidate.coverage : 0;
}

/** Small talk with the bot ("who made you?", "what are you up to?"): it addresses the bot and says nothing about the report. */
function isSmallTalk(question: string, words: QueryWord[]): boolean {
  return words.every((word) => word.generic) && /\b(?:you|your|yours|yourself|u|ur)\b/.test(foldForMatching(question));
}

/** Month and day names, and numbers of two digits or more (ages, years): what pins a question to one event. */
function isTimeOrNumberConstraint(word: string): boolean {
  return /^(?:\d{2,}|january|february|march|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/.test(word);
}

/** The words of each passage with their terms (and its aliases), worked out once: passages are few and fixed. */
class PassageWords {
  private readonly cache = new Map<string, Array<{ word: string; term: string | undefined }>>();

  of(passage: string): Array<{ word: string; term: string | undefined }> {
    let words = this.cache.get(passage);
    if (!words) {
      words = [...passage.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)].map((match) => {
        const word = foldForMatching(match[0]).replace(/'s$/, '');
        return { word: match[0], term: STOP_WORDS.has(word) ? undefined : termOf(word) };
      });
      this.cache.set(passage, words);
    }
    return words;
  }

  private readonly aliasCache = new Map<string, readonly AliasAt[] | null>();

  /**
   * The aliases of a passage with their offsets in it, or null when its folded text differs in
   * length (offsets would not point at the same characters). Folding and the alias pattern over a
   * whole passage are costly, and shown passages are few and fixed: worked out once per passage.
   */
  aliasesOf(passage: string, aliases: AliasTable): readonly AliasAt[] | null {
    let found = this.aliasCache.get(passage);
    if (found === undefined) {
      const folded = foldForMatching(passage);
      found = folded.length === passage.length ? aliasesIn(folded, aliases) : null;
      this.aliasCache.set(passage, found);
    }
    return found;
  }
}

interface AliasAt {
  index: number;
  text: string;
  entityId: string;
}

function sharesAny(first: ReadonlySet<string>, second: ReadonlySet<string>): boolean {
  for (const item of first) if (second.has(item)) return true;
  return false;
}

/** "Amber Rudd", "BBC": every word capitalised, and not a single common word ("Police"). */
function hasProperName(name: string): boolean {
  const words = name.split(/\s+/);
  if (!words.every((word) => /^[\p{Lu}\p{N}]/u.test(word))) return false;
  return !(words.length === 1 && isEnglishWord(words[0]?.toLowerCase() ?? ''));
}

/** A sentence, clause or keyword of a document: what kinds of answer it holds, and its terms. */
interface Clause {
  text: string;
  /** The text folded and normalised once, for the question-dependent check of its kinds. */
  answerText: AnswerText;
  kinds: ReadonlySet<AnswerKind>;
  terms: ReadonlySet<string>;
}

interface Attribution {
  line: string;
  speaker?: { name: string; role: string };
}

/** "Neil Basu, deputy assistant commissioner, in a statement released on Monday afternoon"; "according to police"; "the report". */
export function paragraphAttribution(report: Report, paragraph: Paragraph): Attribution {
  const { speaker: speakerId, occasion, authority } = paragraph.attribution ?? {};
  const speaker = speakerId ? report.facts.entities.find((entity) => entity.id === speakerId) : undefined;
  const parts: string[] = [];
  if (speaker) parts.push([speaker.name, speaker.role, occasion].filter(Boolean).join(', '));
  if (authority) parts.push(authority);
  if (parts.length === 0) return { line: 'the report (no source named)' };
  return { line: parts.join('; '), ...(speaker && { speaker: { name: speaker.name, role: speaker.role } }) };
}

/** Words of the passage (original spelling) whose term the question matched. */
function highlightsIn(passage: string, matchedTerms: Set<string>, index: SearchIndex, passageWords: PassageWords): string[] {
  if (matchedTerms.size === 0) return [];
  const found = new Set<string>();
  // Alias phrases first ("Islamic State", "Al-Qaeda"), then single words.
  // Folding keeps the length of this report's text (quotes and spaces map one to one), so
  // offsets found in the folded text point at the same characters of the original.
  const aliases = [...matchedTerms].some(isEntityToken) ? passageWords.aliasesOf(passage, index.aliases) : null;
  if (aliases) {
    for (const alias of aliases) {
      if (matchedTerms.has(`${ENTITY_PREFIX}${alias.entityId}`)) found.add(passage.slice(alias.index, alias.index + alias.text.length));
    }
  }
  for (const { word, term } of passageWords.of(passage)) {
    if (term !== undefined && matchedTerms.has(term)) found.add(word);
  }
  return [...found];
}
