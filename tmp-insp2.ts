import { AnswerEngine } from './src/core/answer/index.ts';
import { answerProbability } from './src/core/answer/decide.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const [id, ...qs] = process.argv.slice(2);
const e = new AnswerEngine({ reports: loadKnowledge().reports.filter((r) => r.meta.id === id) }, { answerCacheSize: 0 });
const docs = (e as any).documents;
for (const q of qs) {
  const i = e.inspect(q);
  console.log(q, answerProbability(i.features).toFixed(3));
  console.log(
    '   ',
    i.question.words
      .map(
        (w) =>
          `${w.word}:${w.match}:${w.information.toFixed(2)}:${[...w.terms.entries()].slice(0, 4).map(([t, v]) => t + '=' + v.toFixed(2))}`,
      )
      .join(' '),
  );
  console.log(
    '   ',
    i.ranked
      .slice(0, 3)
      .map((c) => `${docs[c.doc].key}:${c.score.toFixed(2)}:${c.coverage.toFixed(2)}:[${c.matchedTerms}]`)
      .join('  '),
  );
}
