import Fuse from 'fuse.js';
import type { Answer, Hit, QuestionProblem } from './answer-types.ts';
import type { FactKind, Knowledge, Paragraph, Report } from './knowledge/types.ts';
import { buildDocuments, buildLexicon, paragraphKey, type IndexedDocument } from './search/documents.ts';
import { answerKindsIn, expectedAnswer, type AnswerKind, type ExpectedAnswer } from './search/expected-answer.ts';
import { SearchIndex, type QueryWord, type RankedDocument } from './search/search-index.ts';
import { isEnglishWord } from './search/typo-corrector.ts';
import { foldForMatching, normalizeText, STOP_WORDS, termOf, wordsOf } from './text.ts';

export const MAX_QUESTION_LENGTH = 300;
export const MAX_HITS = 5;
const MAX_SUGGESTIONS = 3;

/**
 * The evidence test for answering at all. The top passage must match most of what the question
 * is about, weighted by how rare each word is (an unknown word weighs as much as the rarest):
 * raw BM25 scores of on- and off-topic questions overlap, but coverage separates them.
 */
const MIN_COVERAGE = 0.6;
const EVIDENCE_DEPTH = 3;
/** Further hits are shown only if they are reasonably close to the best one. */
const MIN_RELATIVE_SCORE = 0.3;

/** How much a fact of the kind a question asks for ("when" -> a timeline event) is favoured. */
const INTENT_BOOST = 1.3;

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

export class AnswerEngine {
  private readonly documents: IndexedDocument[];
  private readonly index: SearchIndex;
  private readonly suggestionSearch: Fuse<string>;
  private readonly suggestions: string[];
  /** Per document: the kinds of answer its text holds (an age, a day, a place...). */
  private readonly answerKinds: ReadonlyArray<ReadonlySet<AnswerKind>>;
  /** Per entity document with a proper name: what identifies it (name, aliases, role, keywords). */
  private readonly namedEntityIdentity = new Map<number, string>();

  constructor(readonly knowledge: Knowledge) {
    this.documents = buildDocuments(knowledge);
    this.index = new SearchIndex(this.documents, buildLexicon(knowledge));
    this.answerKinds = this.documents.map((document) => answerKindsIn(document.fields.map((field) => field.text).join('\n')));
    this.documents.forEach((document, index) => {
      if (document.fact?.kind !== 'entity') return;
      const entity = document.report.facts.entities.find((candidate) => candidate.id === document.fact?.id);
      if (entity && hasProperName(entity.name)) {
        this.namedEntityIdentity.set(index, [entity.name, ...entity.aliases, entity.role, ...(entity.keywords ?? [])].join(' ; '));
      }
    });
    this.suggestions = [...new Set(knowledge.reports.flatMap((report) => report.facts.suggestedQuestions))];
    this.suggestionSearch = new Fuse(this.suggestions, { threshold: 0.4, ignoreLocation: true, includeScore: true });
  }

  get paragraphCount(): number {
    return this.knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
  }

  /** Answers a question, or says the report does not cover it (with suggestions). */
  ask(rawQuestion: string): Answer {
    const question = cleanQuestion(rawQuestion);
    const declined = (): Answer => ({ question: rawQuestion, answered: false, hits: [], suggestions: this.suggestFor(question) });
    if (checkQuestion(question)) return declined();

    const preferred = preferredFactKinds(question);
    const expected = expectedAnswer(question);
    const search = this.index.search(expected?.topic ?? question, (index) => {
      const kind = this.documents[index]?.fact?.kind;
      return kind && preferred.has(kind) ? INTENT_BOOST : 1;
    });
    // A question asking for an age, a day, a name... is answered only by passages that hold one.
    const ranked = expected ? this.answering(search.ranked, search.words, expected) : search.ranked;
    const top = ranked[0];
    // The evidence test looks at the few best documents, not only the first: a boosted fact card
    // may rank first while the paragraph just below it is the one covering the whole question.
    const bestCoverage = Math.max(0, ...ranked.slice(0, EVIDENCE_DEPTH).map((candidate) => candidate.coverage));
    if (!top || bestCoverage < MIN_COVERAGE) return declined();

    const hits: Hit[] = [];
    const shownParagraphs = new Set<string>();
    const paragraphScores = new Map<string, number>();
    for (const candidate of ranked) {
      const document = this.documents[candidate.index];
      if (document && !document.fact) paragraphScores.set(document.key, candidate.score);
    }
    for (const candidate of ranked) {
      if (hits.length >= MAX_HITS || candidate.score < top.score * MIN_RELATIVE_SCORE) break;
      const document = this.documents[candidate.index];
      if (!document) continue;
      const paragraph = this.bestCitedParagraph(document, paragraphScores);
      // One hit per paragraph: a fact and the paragraph it cites would show the same passage twice.
      const shown = paragraphKey(document.report.meta.id, paragraph.number);
      if (shownParagraphs.has(shown)) continue;
      shownParagraphs.add(shown);
      hits.push(this.toHit({ ...document, paragraph }, candidate, top));
    }
    return { question: rawQuestion, answered: true, hits, suggestions: [] };
  }

  /**
   * The candidates that hold the kind of answer asked for. For a name, only entity cards with a
   * proper name qualify, and what identifies the entity (not its story) must match the question:
   * Masood's card tells of the officer he stabbed, but is no answer to the officer's name.
   */
  private answering(ranked: RankedDocument[], words: QueryWord[], expected: ExpectedAnswer): RankedDocument[] {
    if (expected.kind !== 'name') return ranked.filter((candidate) => this.answerKinds[candidate.index]?.has(expected.kind));
    return ranked.flatMap((candidate) => {
      const identity = this.namedEntityIdentity.get(candidate.index);
      return identity === undefined ? [] : [{ ...candidate, coverage: this.index.coverageOf(words, identity) }];
    });
  }

  /** Of the paragraphs a fact cites, the one that matches the question best is the passage to show. */
  private bestCitedParagraph(document: IndexedDocument, paragraphScores: Map<string, number>): Paragraph {
    // An entity's first paragraph is curated as the one that introduces it; keep it.
    if (document.citedParagraphs.length < 2 || document.fact?.kind === 'entity') return document.paragraph;
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
    const concepts = (question: string): Set<string> =>
      new Set(this.index.analyze(cleanQuestion(question)).map((word) => [...word.terms.keys()][0] ?? word.word));
    const first = concepts(a);
    const second = concepts(b);
    if (first.size === 0 || second.size === 0) return 0;
    const shared = [...first].filter((concept) => second.has(concept)).length;
    return shared / (first.size + second.size - shared);
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
    const related = this.relatedSuggestions(text);
    return [...new Set([...startsWith, ...fuzzy, ...related])].slice(0, limit);
  }

  private relatedSuggestions(text: string): string[] {
    const { ranked } = this.index.search(text);
    const topParagraphs = new Set(
      ranked.slice(0, 3).flatMap((candidate) => {
        const document = this.documents[candidate.index];
        return document ? [paragraphKey(document.report.meta.id, document.paragraph.number)] : [];
      }),
    );
    if (topParagraphs.size === 0) return [];
    return this.suggestions.filter((suggestion) => {
      const best = this.index.search(suggestion).ranked[0];
      const document = best ? this.documents[best.index] : undefined;
      return document !== undefined && topParagraphs.has(paragraphKey(document.report.meta.id, document.paragraph.number));
    });
  }

  /** Up to three questions the report covers, closest to what was asked first. */
  private suggestFor(question: string): string[] {
    const related = question ? this.relatedSuggestions(question) : [];
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
      highlights: highlightsIn(paragraph.text, new Set(ranked.matchedTerms), this.index),
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

/** "Amber Rudd", "BBC": every word capitalised, and not a single common word ("Police"). */
function hasProperName(name: string): boolean {
  const words = name.split(/\s+/);
  if (!words.every((word) => /^[\p{Lu}\p{N}]/u.test(word))) return false;
  return !(words.length === 1 && isEnglishWord(words[0]?.toLowerCase() ?? ''));
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
function highlightsIn(passage: string, matchedTerms: Set<string>, index: SearchIndex): string[] {
  if (matchedTerms.size === 0) return [];
  const found = new Set<string>();
  // Alias phrases first ("Islamic State", "Al-Qaeda"), then single words.
  for (const { pattern, entityId } of index.aliases.phrases) {
    if (!matchedTerms.has(`ent:${entityId}`)) continue;
    const folded = foldForMatching(passage);
    // Folding keeps the length of this report's text (quotes and spaces map one to one), so
    // offsets found in the folded text point at the same characters of the original.
    if (folded.length !== passage.length) continue;
    for (const match of folded.matchAll(pattern)) found.add(passage.slice(match.index, match.index + match[0].length));
  }
  for (const match of passage.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    const word = foldForMatching(match[0]).replace(/'s$/, '');
    if (!STOP_WORDS.has(word) && matchedTerms.has(termOf(word))) found.add(match[0]);
  }
  return [...found];
}
