import type { Answer, Hit } from '../answer-types.ts';
import type { FactKind, Knowledge, Report } from '../knowledge/types.ts';
import { buildAliasTable, ENTITY_PREFIX, foldForMatching, isEntityToken } from '../text.ts';
import { expectedAnswerKind } from './answer-kinds.ts';
import { answerProbability, decisionFeatures, shouldAnswer } from './decide.ts';
import { buildDocuments, curatedVocabulary, paragraphKey, type IndexedDocument } from './documents.ts';
import { inheritedWords, leansOnContext, PREVIOUS_PASSAGE_BOOST, TOPIC_WORD_WEIGHT, type ConversationContext } from './follow-up.ts';
import { hitsFrom, toHit } from './hits.ts';
import { PassageIndex } from './passage-index.ts';
import {
  ALL_MECHANISMS,
  entityInformation,
  prepareQuestion,
  relatedToReport,
  type PreparedQuestion,
  type QuestionContext,
  type QuestionMechanisms,
  type QueryWord,
} from './question.ts';
import { checkQuestion, cleanQuestion } from './question-check.ts';
import { DEFAULT_RANKING, retrieve, type Candidate, type RankingParameters } from './retrieve.ts';
import { Suggestions } from './suggest.ts';
import { TypoCorrector } from './typo-corrector.ts';

/**
 * Answers are pure functions of the question and the knowledge, and communities ask the same
 * questions again (suggestions, autocomplete, pinned questions): the most recent are kept.
 */
const DEFAULT_ANSWER_CACHE_SIZE = 1000;
/** An answered form, a declined one, and a typo of an everyday word. */
const WARM_UP_QUESTIONS = ['what happened', 'what is the capital of france', 'whta did tehy say'];

export interface AnswerEngineOptions {
  /** How many recent answers to keep; 0 turns the cache off (benchmarks measure the search itself). */
  answerCacheSize?: number;
  ranking?: RankingParameters;
  /** For measuring what each mechanism brings (`npm run eval -- --ablation`); all on by default. */
  mechanisms?: Partial<QuestionMechanisms>;
}

/** What the engine saw of a question: its words, ranked documents and the decision's features (for calibration). */
export interface Inspection {
  question: PreparedQuestion;
  ranked: Candidate[];
  features: number[];
}

/** The answer engine's facade: prepare the question, retrieve, decide, build hits or suggestions. */
export class AnswerEngine {
  private readonly recentAnswers = new Map<string, Answer>();
  private readonly answerCacheSize: number;
  private readonly ranking: RankingParameters;
  private readonly documents: IndexedDocument[];
  private readonly index: PassageIndex;
  private readonly context: QuestionContext;
  private readonly suggestions: Suggestions;

  constructor(
    readonly knowledge: Knowledge,
    options: AnswerEngineOptions = {},
  ) {
    this.answerCacheSize = options.answerCacheSize ?? DEFAULT_ANSWER_CACHE_SIZE;
    this.ranking = options.ranking ?? DEFAULT_RANKING;
    this.documents = buildDocuments(knowledge);
    const vocabulary = curatedVocabulary(knowledge);
    this.index = new PassageIndex(this.documents, buildAliasTable(vocabulary.aliases));
    const names = vocabulary.aliases.map(({ alias }) => foldForMatching(alias)).filter((alias) => !alias.includes(' '));
    const mechanisms = { ...ALL_MECHANISMS, ...options.mechanisms };
    this.context = {
      mechanisms,
      index: this.index,
      corrector: new TypoCorrector(this.index.surfaceWords.keys(), names),
      synonyms: vocabulary.synonyms,
      entityInformation: entityInformation(vocabulary.aliases),
      relatedToReport: mechanisms.relatedWords ? relatedToReport(this.index) : new Map(),
      nameTokens: new Map(
        vocabulary.aliases
          .map(({ alias, entityId }) => [foldForMatching(alias), `${ENTITY_PREFIX}${entityId}`] as const)
          .filter(([alias]) => !alias.includes(' ')),
      ),
      analyzed: new Map(),
    };
    const suggested = [...new Set(knowledge.reports.flatMap((report) => report.facts.suggestedQuestions))];
    this.suggestions = new Suggestions(suggested, (question) => this.topParagraphs(this.inspect(question).ranked, 1)[0]);
    // Pay the one-time costs (suggestions' paragraphs, the everyday typo corrector, the JIT) now,
    // not on the first people to ask. Nothing is cached in the answers.
    for (const question of WARM_UP_QUESTIONS) this.answer(question);
  }

  get paragraphCount(): number {
    return this.knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
  }

  /**
   * Answers a question, or says the report does not cover it (with suggestions). With the
   * conversation's context, a question that leans on it ("how old was he?") is read with it.
   */
  ask(rawQuestion: string, conversation?: ConversationContext): Answer {
    // A question complete by itself is the same question with or without a conversation: one entry.
    const followUp = conversation && this.isFollowUp(rawQuestion) ? conversation : undefined;
    const cacheKey = followUp ? `${rawQuestion}\u0000${followUp.topic}\u0000${followUp.passages.join(' ')}` : rawQuestion;
    const cached = this.recentAnswers.get(cacheKey);
    if (cached) {
      // Refresh its place: the map's insertion order is the least-recently-used order.
      this.recentAnswers.delete(cacheKey);
      this.recentAnswers.set(cacheKey, cached);
      return cached;
    }
    const answer = this.answer(rawQuestion, followUp);
    if (this.answerCacheSize > 0) {
      this.recentAnswers.set(cacheKey, answer);
      if (this.recentAnswers.size > this.answerCacheSize) this.recentAnswers.delete(this.recentAnswers.keys().next().value as string);
    }
    return answer;
  }

  /** Whether a question leans on the conversation before it ("how old was he?"), rather than standing alone. */
  isFollowUp(rawQuestion: string): boolean {
    const cleaned = cleanQuestion(rawQuestion);
    return leansOnContext(cleaned, prepareQuestion(cleaned, this.context));
  }

  /**
   * The stages up to the decision, without building an answer. Calibration tries other ranking
   * parameters, and hides a question's own paragraph to see what "the report does not say" looks like.
   * `followUp` is the conversation the question leans on (see isFollowUp).
   */
  inspect(
    rawQuestion: string,
    ranking: RankingParameters = this.ranking,
    hiddenDocuments?: ReadonlySet<number>,
    followUp?: ConversationContext,
  ): Inspection {
    const cleaned = cleanQuestion(rawQuestion);
    const own = prepareQuestion(cleaned, this.context);
    const intent = this.intentBoost(cleaned, ranking.factKindBoost);
    const search = (words: QueryWord[], boost: (doc: number) => number) =>
      retrieve(this.index, words, ranking, boost, expectedAnswerKind(own.text), hiddenDocuments);
    if (!followUp) {
      const ranked = search(own.words, intent);
      return { question: own, ranked, features: decisionFeatures(own.words, ranked) };
    }
    // Whether the report answers is judged on the question as if asked in full ("how old was he
    // arrested in birmingham"); which passage answers leans on the follow-up's own words and the last answer.
    const topic = prepareQuestion(followUp.topic, this.context).words;
    const asIfInFull = [...own.words, ...inheritedWords(own.words, topic, 1)];
    const weighted = [...own.words, ...inheritedWords(own.words, topic, TOPIC_WORD_WEIGHT)];
    const previous = this.previousPassageBoost(followUp);
    const ranked = search(weighted, (doc) => intent(doc) * previous(doc));
    return { question: { ...own, words: weighted }, ranked, features: decisionFeatures(asIfInFull, search(asIfInFull, intent)) };
  }

  /** Favours the paragraphs of the conversation's last answer (and the facts that cite them). */
  private previousPassageBoost(conversation: ConversationContext): (doc: number) => number {
    const passages = new Set(conversation.passages);
    return (doc) => {
      const document = this.documents[doc];
      return document && passages.has(paragraphKey(document.report.meta.id, document.paragraph.number)) ? PREVIOUS_PASSAGE_BOOST : 1;
    };
  }

  private answer(rawQuestion: string, followUp?: ConversationContext): Answer {
    const declined = (ranked: Candidate[] = [], probability = 0): Answer => ({
      question: rawQuestion,
      answered: false,
      hits: [],
      suggestions: this.suggestions.forDeclined(this.topParagraphs(ranked, 3)),
      probability,
    });
    if (checkQuestion(cleanQuestion(rawQuestion), { inConversation: followUp !== undefined })) return declined();
    const { question, ranked, features } = this.inspect(rawQuestion, this.ranking, undefined, followUp);
    const probability = ranked.length === 0 ? 0 : answerProbability(features);
    // A question of numbers alone ("what is 2+2") asks no report anything, however many numbers it has.
    const onlyNumbers = question.words.every((word) => /^\d+$/.test(word.word));
    if (ranked.length === 0 || onlyNumbers || !shouldAnswer(features)) return declined(ranked, onlyNumbers ? 0 : probability);
    const onlyNames = question.words.every((word) => isEntityToken(word.word));
    return {
      question: rawQuestion,
      answered: true,
      hits: hitsFrom(ranked, this.documents, this.index, onlyNames),
      suggestions: [],
      probability,
      ...(followUp && { fromContext: { topic: followUp.topic, about: followUp.about, reportId: followUp.reportId } }),
    };
  }

  /** Favours the facts of the kind the question's form asks for. */
  private intentBoost(question: string, factKindBoost: number): (doc: number) => number {
    const preferred = preferredFactKinds(question);
    if (preferred.size === 0) return () => 1;
    return (doc) => {
      const kind = this.documents[doc]?.fact?.kind;
      return kind && preferred.has(kind) ? factKindBoost : 1;
    };
  }

  private topParagraphs(ranked: readonly Candidate[], count: number): string[] {
    return ranked.slice(0, count).flatMap((candidate) => {
      const document = this.documents[candidate.doc];
      return document ? [paragraphKey(document.report.meta.id, document.paragraph.number)] : [];
    });
  }

  /** The hits for given document keys, in that order (for "Other passages" and pinned answers). */
  hitsForKeys(keys: string[]): Hit[] {
    return keys.flatMap((key) => {
      const document = this.documents.find((candidate) => candidate.key === key);
      return document ? [toHit(document, { doc: 0, score: 0, coverage: 1, sentenceCoverage: 1, matchedTerms: [] }, undefined)] : [];
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
    const { words } = prepareQuestion(cleanQuestion(question), this.context);
    return new Set(words.map((word) => [...word.terms.keys()][0] ?? word.correctedTo ?? word.word));
  }

  findReport(reportId?: string): Report | undefined {
    return reportId ? this.knowledge.reports.find((report) => report.meta.id === reportId) : this.knowledge.reports[0];
  }

  /** Autocomplete: suggested questions ranked for what has been typed. */
  suggest(typed: string, limit = 25): string[] {
    const ranked = typed.trim() ? this.inspect(typed).ranked : [];
    return this.suggestions.forTyped(typed, this.topParagraphs(ranked, 3), limit);
  }
}

/** The kinds of fact that answer a question's form: who -> people and quotes, when -> events. */
function preferredFactKinds(question: string): ReadonlySet<FactKind> {
  const opening = foldForMatching(question).replace(/^[^a-z]+/, '');
  if (/^(who is|who's|whos|who was|who are|who were)\b/.test(opening)) return new Set(['entity']);
  if (/\b(say|said|says|saying|quote|quoted|quotes|statement|comment|comments)\b/.test(opening)) return new Set(['quote', 'entity']);
  if (/^(who|which)\b/.test(opening)) return new Set(['entity', 'quote', 'arrest']);
  if (/^(when|what time|what day|how long|since when)\b/.test(opening)) return new Set(['event']);
  return new Set();
}
