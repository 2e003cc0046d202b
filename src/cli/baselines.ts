import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import type { Answerer } from '../core/eval-uncurated.ts';
import type { Knowledge } from '../core/knowledge/types.ts';
import { foldForMatching, STOP_WORDS } from '../core/text.ts';

/** Reference engines for the uncurated suite. Neither declines: they rank, and that is all. */

function ranked(paragraphs: number[]): ReturnType<Answerer['ask']> {
  return { answered: paragraphs.length > 0, hits: paragraphs.map((paragraph) => ({ paragraph }) as never) };
}

/** Plain BM25 (k1 1.2, b 0.75) with Porter stems and stop words, and nothing else. */
export function plainBm25(knowledge: Knowledge): Answerer {
  const terms = (text: string): string[] =>
    (foldForMatching(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word)).map((word) => stemmer(word));
  const paragraphs = knowledge.reports.flatMap((report) => report.paragraphs);
  const documents = paragraphs.map((paragraph) => terms(paragraph.text));
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, documents.length);
  const frequency = new Map<string, number>();
  for (const document of documents) for (const term of new Set(document)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const idf = (term: string): number =>
    Math.log(1 + (documents.length - (frequency.get(term) ?? 0) + 0.5) / ((frequency.get(term) ?? 0) + 0.5));
  return {
    ask(question) {
      const query = [...new Set(terms(question))];
      const scores = documents.map((document, index) => {
        let score = 0;
        for (const term of query) {
          const tf = document.filter((candidate) => candidate === term).length;
          if (tf > 0) score += (idf(term) * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * document.length) / averageLength));
        }
        return { index, score };
      });
      const best = scores.filter((entry) => entry.score > 0).sort((a, b) => b.score - a.score);
      return ranked(best.slice(0, 5).map((entry) => paragraphs[entry.index]?.number ?? 0));
    },
  };
}

/** MiniSearch with fuzzy 0.2 and prefix matching, as its documentation suggests. */
export function miniSearch(knowledge: Knowledge): Answerer {
  const paragraphs = knowledge.reports.flatMap((report) => report.paragraphs);
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  index.addAll(paragraphs.map((paragraph) => ({ id: paragraph.number, text: paragraph.text })));
  return {
    ask: (question) =>
      ranked(
        index
          .search(question, { fuzzy: 0.2, prefix: true })
          .slice(0, 5)
          .map((result) => Number(result.id)),
      ),
  };
}
