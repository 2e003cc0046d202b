import type { Answer } from './answer-types.ts';
import type { Knowledge, Paragraph } from './knowledge/types.ts';

/**
 * The uncurated suite: articles nobody curated (SQuAD 2.0), each loaded as a report with its
 * paragraphs only, asked its own crowd-written questions, the same with typos, and as many
 * questions written for the other articles, which must be declined.
 */

export interface SquadArticle {
  title: string;
  paragraphs: Array<{ context: string; qas: Array<{ question: string }> }>;
}

/** Anything that answers: our engine, or a baseline that never declines. */
export interface Answerer {
  ask(question: string): Pick<Answer, 'answered' | 'hits'>;
}

export interface UncuratedReport {
  questions: number;
  firstRate: number;
  top3Rate: number;
  typoFirstRate: number;
  /** Share of the other articles' questions declined. */
  offTopicDeclinedRate: number;
  /** Share of the article's own questions declined. */
  falselyDeclinedRate: number;
}

/** One article as a report: its paragraphs, verbatim and numbered, and no facts. */
export function articleKnowledge(article: SquadArticle): Knowledge {
  const id = article.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const paragraphs: Paragraph[] = article.paragraphs.map((paragraph, index) => ({ number: index + 1, text: paragraph.context }));
  return {
    reports: [
      {
        meta: { id, title: article.title.replace(/_/g, ' '), outlet: '', date: '', url: '' },
        blocks: paragraphs.map((paragraph) => ({ kind: 'paragraph' as const, ...paragraph })),
        paragraphs,
        facts: { entities: [], arrests: [], quotes: [], claims: [], timeline: [], suggestedQuestions: [] },
      },
    ],
  };
}

/** A small seeded generator (mulberry32): the suite is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** A neighbouring key on a QWERTY keyboard, the commonest substitution typo. */
function neighbourKey(letter: string, random: () => number): string {
  for (const row of KEYBOARD_ROWS) {
    const at = row.indexOf(letter);
    if (at < 0) continue;
    const options = [row[at - 1], row[at + 1]].filter((key): key is string => key !== undefined);
    return options[Math.floor(random() * options.length)] ?? letter;
  }
  return letter;
}

/** One typing slip in a word: two letters swapped, one dropped, doubled or hit next to its key. */
function misspell(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  const slip = Math.floor(random() * 4);
  if (slip === 0) return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
  if (slip === 1) return word.slice(0, at) + word.slice(at + 1);
  if (slip === 2) return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
  return word.slice(0, at) + neighbourKey(word[at] ?? '', random) + word.slice(at + 1);
}

/** The question with one or two of its longer words misspelt. */
export function withTypos(question: string, random: () => number): string {
  const words = question.split(' ');
  const candidates = words.map((word, index) => ({ word, index })).filter(({ word }) => /^[a-z]{5,}$/i.test(word));
  const count = Math.min(candidates.length, random() < 0.5 ? 1 : 2);
  for (let i = 0; i < count; i++) {
    const pick = candidates.splice(Math.floor(random() * candidates.length), 1)[0];
    if (pick) words[pick.index] = misspell(pick.word, random);
  }
  return words.join(' ');
}

export interface SuiteQuestion {
  question: string;
  /** The paragraph it was written about; undefined for another article's question. */
  paragraph?: number;
}

/** Per article: its own questions, the same with typos, and as many of the other articles' questions. */
export function suiteQuestions(
  articles: readonly SquadArticle[],
  articleIndex: number,
  seed = 1,
): { own: SuiteQuestion[]; typos: SuiteQuestion[]; offTopic: SuiteQuestion[] } {
  const random = seededRandom(seed * 1000 + articleIndex);
  const article = articles[articleIndex];
  if (!article) return { own: [], typos: [], offTopic: [] };
  const own = article.paragraphs.flatMap((paragraph, index) => paragraph.qas.map(({ question }) => ({ question, paragraph: index + 1 })));
  const typos = own.map(({ question, paragraph }) => ({ question: withTypos(question, random), paragraph }));
  const others = articles.flatMap((other, index) =>
    index === articleIndex ? [] : other.paragraphs.flatMap((paragraph) => paragraph.qas.map(({ question }) => ({ question }))),
  );
  const offTopic = own.map(() => others[Math.floor(random() * others.length)] ?? { question: '' });
  return { own, typos, offTopic };
}

/** Runs the suite over every article (or those `measured` picks) with an answerer built for it; negatives come from all the others. */
export function evaluateUncurated(
  articles: readonly SquadArticle[],
  build: (knowledge: Knowledge) => Answerer,
  measured: (articleIndex: number) => boolean = () => true,
): UncuratedReport {
  let questions = 0;
  let first = 0;
  let top3 = 0;
  let typoFirst = 0;
  let falselyDeclined = 0;
  let offTopicCount = 0;
  let offTopicDeclined = 0;
  articles.forEach((article, articleIndex) => {
    if (!measured(articleIndex)) return;
    const answerer = build(articleKnowledge(article));
    const { own, typos, offTopic } = suiteQuestions(articles, articleIndex);
    for (const { question, paragraph } of own) {
      const answer = answerer.ask(question);
      const got = answer.answered ? answer.hits.map((hit) => hit.paragraph) : [];
      questions++;
      if (!answer.answered) falselyDeclined++;
      if (got[0] === paragraph) first++;
      if (paragraph !== undefined && got.slice(0, 3).includes(paragraph)) top3++;
    }
    for (const { question, paragraph } of typos) {
      const answer = answerer.ask(question);
      if (answer.answered && answer.hits[0]?.paragraph === paragraph) typoFirst++;
    }
    for (const { question } of offTopic) {
      offTopicCount++;
      if (!answerer.ask(question).answered) offTopicDeclined++;
    }
  });
  const share = (count: number, total: number): number => (total === 0 ? 1 : count / total);
  return {
    questions,
    firstRate: share(first, questions),
    top3Rate: share(top3, questions),
    typoFirstRate: share(typoFirst, questions),
    offTopicDeclinedRate: share(offTopicDeclined, offTopicCount),
    falselyDeclinedRate: share(falselyDeclined, questions),
  };
}
