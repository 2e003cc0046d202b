import { readFileSync } from 'node:fs';
import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluate, paragraphsOnly } from './src/core/eval.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const id = process.argv[2]!;
const k = loadKnowledge();
const r = k.reports.find((x) => x.meta.id === id)!;
const res = evaluate(
  new AnswerEngine(paragraphsOnly({ reports: [r] }), { answerCacheSize: 0 }),
  JSON.parse(readFileSync(`tests/questions/${id}.json`, 'utf8')),
);
for (const m of res.misses) console.log(JSON.stringify(m.expected), JSON.stringify(m.got).slice(0, 20), m.question);
