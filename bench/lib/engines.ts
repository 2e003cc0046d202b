import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { AnswerEngine } from '../../src/core/answer/index.ts';
import type { Corpus } from './corpus.ts';

/** Answers one question; returns whether anything was found (to check the questions do hit). */
export type Searcher = (question: string) => boolean;

/** An engine under test: `build` is what the build time measures, the searcher what latency measures. */
export interface BenchEngine {
  name: string;
  build(corpus: Corpus): Searcher;
}

/** Ours: paragraphs and (on the real report) facts, BM25, typo correction, synonyms, coverage test. */
export const answerEngine: BenchEngine = {
  name: 'AnswerEngine',
  build(corpus) {
    // The answer cache off: the bench measures the search, not a lookup of repeated questions.
    const engine = new AnswerEngine(corpus.knowledge, { answerCacheSize: 0 });
    return (question) => engine.ask(question).answered;
  },
};

/** fuse.js used the usual way: fuzzy match of the whole question against each paragraph. */
export const plainFuse: BenchEngine = {
  name: 'fuse.js',
  build(corpus) {
    const fuse = new Fuse(corpus.paragraphs, { keys: ['text'], ignoreLocation: true, threshold: 0.4 });
    return (question) => fuse.search(question).length > 0;
  },
};

/** MiniSearch: BM25 over an inverted index (a radix tree), with fuzzy and prefix matching. */
export const miniSearch: BenchEngine = {
  name: 'MiniSearch',
  build(corpus) {
    const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
    index.addAll(corpus.paragraphs);
    return (question) => index.search(question, { fuzzy: 0.2, prefix: true }).length > 0;
  },
};

export const ENGINES: readonly BenchEngine[] = [answerEngine, plainFuse, miniSearch];
