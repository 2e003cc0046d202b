import { readFileSync } from 'node:fs';
import { AnswerEngine } from './src/core/answer/index.ts';
import { paragraphsOnly } from './src/core/eval.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
for (const id of ['harbour-bridge-protest', 'chemical-plant-leak', 'westminster-attack']) {
  const r = loadKnowledge().reports.find((x) => x.meta.id === id)!;
  const e = new AnswerEngine(paragraphsOnly({ reports: [r] }), { answerCacheSize: 0 });
  const qs = JSON.parse(
    readFileSync(id === 'westminster-attack' ? 'tests/questions/holdout-blind.json' : `tests/questions/${id}.json`, 'utf8'),
  ).filter((q: any) => !q.offTopic);
  let top1 = 0,
    top3 = 0,
    answered = 0;
  for (const q of qs) {
    const i = e.inspect(q.question);
    const ps = i.ranked.slice(0, 3).map((c) => c.doc + 1);
    if (q.paragraphs.includes(ps[0])) top1++;
    if (ps.some((p) => q.paragraphs.includes(p))) top3++;
    if (e.ask(q.question).answered) answered++;
  }
  console.log(
    id,
    'ranked top1',
    ((top1 / qs.length) * 100).toFixed(1),
    'top3',
    ((top3 / qs.length) * 100).toFixed(1),
    'answered',
    ((answered / qs.length) * 100).toFixed(1),
  );
}
