import { AnswerEngine } from './src/core/answer/index.ts';
import { answerProbability } from './src/core/answer/decide.ts';
import { paragraphsOnly } from './src/core/eval.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const [id, ...qs] = process.argv.slice(2);
const r = loadKnowledge().reports.find((x) => x.meta.id === id)!;
const e = new AnswerEngine(paragraphsOnly({ reports: [r] }), { answerCacheSize: 0 });
for (const q of qs) {
  const i = e.inspect(q);
  console.log(
    q,
    answerProbability(i.features).toFixed(3),
    i.question.words.map((w) => `${w.word}:${w.match}:${w.idf.toFixed(2)}:${[...w.terms.keys()].slice(0, 3)}`).join(' '),
    i.ranked.slice(0, 3).map((c) => `${c.doc}:${c.coverage.toFixed(2)}`),
  );
}
