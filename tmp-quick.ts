import { readFileSync } from 'node:fs';
import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluate, paragraphsOnly } from './src/core/eval.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const k = loadKnowledge();
const one = (id: string) => ({ reports: k.reports.filter((r) => r.meta.id === id) });
const q = (f: string) => JSON.parse(readFileSync(`tests/questions/${f}`, 'utf8'));
const p = (x: number) => (x * 100).toFixed(1);
const line: string[] = [];
for (const [id, f] of [
  ['chemical-plant-leak', 'chemical-plant-leak.json'],
  ['harbour-bridge-protest', 'harbour-bridge-protest.json'],
  ['westminster-attack', 'holdout.json'],
  ['westminster-attack', 'holdout-blind.json'],
  ['westminster-attack', 'questions.json'],
] as const) {
  const r = evaluate(new AnswerEngine(one(id), { answerCacheSize: 0 }), q(f));
  const b = evaluate(new AnswerEngine(paragraphsOnly(one(id)), { answerCacheSize: 0 }), q(f));
  line.push(`${f.slice(0, 12)} ${p(r.firstRate)}/${p(r.declinedRate)} bare ${p(b.firstRate)}/${p(b.declinedRate)}`);
}
console.log(line.join(' | '));
const h = new AnswerEngine(one('harbour-bridge-protest'), { answerCacheSize: 0 });
const c = new AnswerEngine(one('chemical-plant-leak'), { answerCacheSize: 0 });
console.log(
  h.ask('how long was the harbour bridge blocked').answered,
  c.ask('how many residents were evacuated from their homes near the chlorine leak').answered,
);
