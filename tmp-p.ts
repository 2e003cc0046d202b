import { AnswerEngine } from './src/core/answer/index.ts';
import { answerProbability, decisionFeatures } from './src/core/answer/decide.ts';
import { readFileSync } from 'node:fs';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const old = JSON.parse(readFileSync('/tmp/decision-model.before.json', 'utf8'));
const [id, ...qs] = process.argv.slice(2);
const e = new AnswerEngine({ reports: loadKnowledge().reports.filter((r) => r.meta.id === id) }, { answerCacheSize: 0 });
for (const q of qs) {
  const i = e.inspect(q);
  console.log(
    q,
    'new',
    answerProbability(i.features).toFixed(3),
    'old',
    answerProbability(i.features, old).toFixed(3),
    'old thr',
    old.threshold,
    i.features.map((f) => f.toFixed(2)).join(' '),
  );
}
