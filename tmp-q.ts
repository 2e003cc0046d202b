import { readFileSync } from 'node:fs';
import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluate, paragraphsOnly } from './src/core/eval.ts';
import { importArticle, readArticle } from './src/core/ingest/index.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
import { validateKnowledge } from './src/core/knowledge/validate.ts';
const k = loadKnowledge();
const f = (r: { firstRate: number; top3Rate: number; declinedRate: number }) =>
  `${(r.firstRate * 100).toFixed(1)} / ${(r.top3Rate * 100).toFixed(1)} / ${(r.declinedRate * 100).toFixed(1)}`;
for (const r of k.reports) {
  const file =
    r.meta.id === 'westminster-attack'
      ? ['tests/questions/holdout-blind.json', 'tests/questions/holdout.json']
      : [`tests/questions/${r.meta.id}.json`];
  for (const q of file) {
    const qs = JSON.parse(readFileSync(q, 'utf8'));
    const one = { reports: [r] };
    console.log(
      r.meta.id,
      q,
      'as is',
      f(evaluate(new AnswerEngine(one, { answerCacheSize: 0 }), qs)),
      ' paragraphs only',
      f(evaluate(new AnswerEngine(paragraphsOnly(one), { answerCacheSize: 0 }), qs)),
    );
  }
}
const src = readFileSync('knowledge/westminster-attack/source.txt', 'utf8');
const imp = importArticle(readArticle(src, { html: false }), { id: 'westminster-attack' });
const v = validateKnowledge([
  { folder: 'x', reportJson: JSON.stringify(imp.files.report), factsJson: JSON.stringify(imp.files.facts), sourceText: imp.sourceText },
]);
for (const q of ['tests/questions/holdout-blind.json', 'tests/questions/holdout.json', 'tests/questions/questions.json'])
  console.log(
    'westminster auto',
    q,
    f(evaluate(new AnswerEngine(v.knowledge!, { answerCacheSize: 0 }), JSON.parse(readFileSync(q, 'utf8')))),
  );
