import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';
import type { Knowledge, Paragraph, Report } from '../../src/core/knowledge/types.ts';
import { integerBetween, pick, seededRandom, shuffled, zipfSampler, type Random } from './random.ts';

/** What every engine is built from and asked: the same paragraphs, the same questions. */
export interface Corpus {
  name: string;
  /** For our engine: the whole knowledge (paragraphs and, for the real report, its facts). */
  knowledge: Knowledge;
  /** For the reference engines: the paragraphs alone, with an `id` for MiniSearch. */
  paragraphs: Array<{ id: number; text: string }>;
  /** Measured questions. */
  questions: string[];
  /** Different questions, asked before measuring so JIT and caches are warm but not primed. */
  warmupQuestions: string[];
}

const SEEDS = { vocabulary: 1, corpus: 2, questions: 3, warmup: 4 } as const;
const PSEUDO_WORD_COUNT = 3000;
const MEASURED_QUESTIONS = 300;
const WARMUP_QUESTIONS = 60;
/**
 * Word frequencies 1 / (rank + 10)^1: with this vocabulary the most frequent content word is
 * in about 40% of paragraphs (like "police" in a police story) and the median word in a handful.
 * Latency depends on this head: the longest postings lists are what a query pays for.
 */
const ZIPF_EXPONENT = 1;
const ZIPF_OFFSET = 10;

const QUESTIONS_FILE = path.resolve(import.meta.dirname, '../../tests/questions/questions.json');

/**
 * Glue words for prose. Our engine drops stop words; fuse.js and MiniSearch do not, so
 * paragraphs and questions must carry them as real ones do, or the comparison flatters them.
 */
const FUNCTION_WORDS = `the the the of of and and to to a a in in that is was for on with as by
  at from his he it be had have were has not an but they their who said which its this been after
  or are over into about than when would could also more there`
  .split(/\s+/)
  .filter(Boolean);

const QUESTION_OPENERS = ['what', 'who', 'why did', 'how did', 'when was', 'is it true that', 'where', 'what about', 'did', ''];

/** Everyday words a report about something else does not use: off-topic questions. */
const OFF_TOPIC_WORDS = `weather football recipe banana bitcoin guitar holiday pizza tennis garden
  vaccine election mortgage volcano dinosaur smartphone chess marathon orchestra tomato penguin
  lottery skateboard jazz broccoli satellite umbrella karaoke origami sushi glacier`
  .split(/\s+/)
  .filter(Boolean);

// ---------------------------------------------------------------------------------------------
// The real report

interface QuestionCase {
  question: string;
  paragraphs?: number[];
  offTopic?: boolean;
}

/** The bot gives each report its own engine: the real corpus is the Westminster report's, as served. */
const REAL_REPORT = 'westminster-attack';

export function realCorpus(): Corpus {
  const knowledge = { reports: loadKnowledge().reports.filter((report) => report.meta.id === REAL_REPORT) };
  const cases = JSON.parse(readFileSync(QUESTIONS_FILE, 'utf8')) as QuestionCase[];
  const questions = [...new Set(cases.map((entry) => entry.question))];
  // Warm-up questions must differ from the measured ones: our typo corrector caches per word,
  // and warming with the measured questions would measure the cache, not the search.
  const measured = new Set(questions);
  const vocabulary = contentWordsOf(knowledge);
  const suggested = knowledge.reports.flatMap((report) => report.facts.suggestedQuestions);
  const warmupQuestions = [...suggested, ...makeQuestions(seededRandom(SEEDS.warmup), vocabulary, WARMUP_QUESTIONS)].filter(
    (question) => !measured.has(question),
  );
  return { name: 'real', knowledge, paragraphs: paragraphsOf(knowledge), questions, warmupQuestions };
}

function paragraphsOf(knowledge: Knowledge): Corpus['paragraphs'] {
  const paragraphs = knowledge.reports.flatMap((report) => report.paragraphs);
  return paragraphs.map((paragraph, index) => ({ id: index + 1, text: paragraph.text }));
}

/** Lower-case content words of the report's paragraphs, most frequent first. */
export function contentWordsOf(knowledge: Knowledge): string[] {
  const counts = new Map<string, number>();
  const glue = new Set(FUNCTION_WORDS);
  for (const report of knowledge.reports) {
    for (const paragraph of report.paragraphs) {
      for (const word of paragraph.text.toLowerCase().split(/[^\p{L}]+/u)) {
        if (word.length < 3 || glue.has(word)) continue;
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([word]) => word);
}

// ---------------------------------------------------------------------------------------------
// Synthetic corpora

/**
 * The words synthetic paragraphs are made of: the real report's words mixed with a few
 * thousand pseudo-words, shuffled so real words sit at every frequency rank. Shared by all
 * synthetic sizes so that their questions hit comparable postings lists.
 */
export function syntheticVocabulary(realKnowledge: Knowledge): string[] {
  const random = seededRandom(SEEDS.vocabulary);
  const realWords = contentWordsOf(realKnowledge);
  const invented = pseudoWords(random, PSEUDO_WORD_COUNT, new Set(realWords));
  // Real words go among the more frequent ranks, as common words in real text are real words.
  const frequent = shuffled(random, [...realWords, ...invented.slice(0, 800)]);
  return [...frequent, ...invented.slice(800)];
}

const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pr',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ou'];
const CODAS = ['', '', '', '', 'n', 'r', 'l', 's', 'm', 'nd'];

/** Pronounceable made-up words ("drovan", "stelmi"), distinct and not in `exclude`. */
function pseudoWords(random: Random, count: number, exclude: ReadonlySet<string>): string[] {
  const words = new Set<string>();
  while (words.size < count) {
    let word = '';
    const syllables = random() < 0.7 ? 2 : 3;
    for (let i = 0; i < syllables; i++) word += pick(random, ONSETS) + pick(random, VOWELS) + pick(random, CODAS);
    if (!exclude.has(word)) words.add(word);
  }
  return [...words];
}

export function syntheticCorpus(paragraphCount: number, vocabulary: readonly string[]): Corpus {
  const random = seededRandom(SEEDS.corpus);
  const contentWord = zipfSampler(random, vocabulary, ZIPF_EXPONENT, ZIPF_OFFSET);
  const functionWord = () => pick(random, FUNCTION_WORDS);
  const paragraphs: Paragraph[] = [];
  for (let number = 1; number <= paragraphCount; number++) {
    paragraphs.push({ number, text: proseParagraph(random, integerBetween(random, 50, 70), contentWord, functionWord) });
  }
  const knowledge: Knowledge = { reports: [syntheticReport(paragraphs)] };

  // Questions draw on the corpus's own vocabulary with the same frequencies, so they hit
  // short and long postings lists as real ones would.
  const questions = makeQuestions(seededRandom(SEEDS.questions), vocabulary, MEASURED_QUESTIONS);
  const measured = new Set(questions);
  const warmupQuestions = makeQuestions(seededRandom(SEEDS.warmup), vocabulary, WARMUP_QUESTIONS).filter(
    (question) => !measured.has(question),
  );
  return {
    name: `synthetic ${paragraphCount.toLocaleString('en')}`,
    knowledge,
    paragraphs: paragraphsOf(knowledge),
    questions,
    warmupQuestions,
  };
}

/**
 * About `wordCount` words of prose-shaped text: sentences of 8-18 words, each a run of
 * chunks "0-2 function words + a content word", capitalised, with the odd comma.
 */
function proseParagraph(random: Random, wordCount: number, contentWord: () => string, functionWord: () => string): string {
  const sentences: string[] = [];
  let written = 0;
  while (written < wordCount) {
    const sentenceLength = Math.min(integerBetween(random, 8, 18), Math.max(4, wordCount - written));
    const words: string[] = [];
    while (words.length < sentenceLength) {
      const glue = integerBetween(random, 0, 2);
      for (let i = 0; i < glue && words.length < sentenceLength - 1; i++) words.push(functionWord());
      words.push(contentWord() + (random() < 0.06 ? ',' : ''));
    }
    written += words.length;
    const sentence = words.join(' ').replace(/,$/, '');
    sentences.push(sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.');
  }
  return sentences.join(' ');
}

function syntheticReport(paragraphs: Paragraph[]): Report {
  return {
    meta: { id: 'synthetic', title: 'Synthetic report', outlet: '', date: '', url: '' },
    blocks: paragraphs.map((paragraph) => ({ kind: 'paragraph' as const, ...paragraph })),
    paragraphs,
    facts: { entities: [], arrests: [], quotes: [], claims: [], timeline: [], suggestedQuestions: ['What happened?'], synonyms: {} },
  };
}

// ---------------------------------------------------------------------------------------------
// Questions

type QuestionKind = 'on-topic' | 'typo' | 'off-vocabulary' | 'one-unknown-word';

/** Mix of question kinds: mostly on-topic, a good share misspelt, some about something else. */
function questionKind(random: Random): QuestionKind {
  const roll = random();
  if (roll < 0.55) return 'on-topic';
  if (roll < 0.8) return 'typo';
  if (roll < 0.9) return 'off-vocabulary';
  return 'one-unknown-word';
}

/** `count` distinct questions of 3-8 words built from `vocabulary` (most frequent first). */
export function makeQuestions(random: Random, vocabulary: readonly string[], count: number): string[] {
  const contentWord = zipfSampler(random, vocabulary, ZIPF_EXPONENT, ZIPF_OFFSET);
  const known = new Set(vocabulary);
  const offTopic = OFF_TOPIC_WORDS.filter((word) => !known.has(word));
  const questions = new Set<string>();
  // Bounded so a tiny vocabulary cannot loop forever on duplicates.
  for (let attempt = 0; questions.size < count && attempt < count * 20; attempt++) {
    const kind = questionKind(random);
    const opener = pick(random, QUESTION_OPENERS);
    const openerWords = opener ? opener.split(' ').length : 0;
    const totalWords = Math.max(integerBetween(random, 3, 8), openerWords + 1);
    const content: string[] = [];
    for (let i = openerWords; i < totalWords; i++) {
      // A function word now and then, as people write ("what did the police say about ...").
      content.push(i > openerWords && random() < 0.2 ? pick(random, FUNCTION_WORDS) : contentWord());
    }
    if (kind === 'typo') misspellOneWord(random, content);
    if (kind === 'off-vocabulary') content.forEach((_, i) => (content[i] = pick(random, offTopic)));
    if (kind === 'one-unknown-word') content[integerBetween(random, 0, content.length - 1)] = pick(random, offTopic);
    questions.add([opener, ...content].filter(Boolean).join(' ') + (random() < 0.5 ? '?' : ''));
  }
  return [...questions];
}

/** One typing slip in the longest word: a dropped, doubled, swapped or wrong letter. */
function misspellOneWord(random: Random, words: string[]): void {
  let longest = 0;
  words.forEach((word, i) => {
    if (word.length > (words[longest] ?? '').length) longest = i;
  });
  const word = words[longest];
  if (!word || word.length < 4) return;
  const at = integerBetween(random, 1, word.length - 2);
  const letter = pick(random, [...'abcdefghijklmnopqrstuvwxyz']);
  const edits = [
    () => word.slice(0, at) + word.slice(at + 1),
    () => word.slice(0, at) + word.charAt(at) + word.slice(at),
    () => word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2),
    () => word.slice(0, at) + letter + word.slice(at + 1),
  ];
  const misspelt = pick(random, edits)();
  words[longest] = misspelt === word ? word.slice(0, at) + word.slice(at + 1) : misspelt;
}
