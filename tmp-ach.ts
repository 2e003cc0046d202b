import { AnswerEngine } from './src/core/answer/index.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const k = loadKnowledge();
for (const [id, q] of [
  ['harbour-bridge-protest', 'who is helen achtenberg'],
  ['harbour-bridge-protest', 'who is achtenberg'],
  ['westminster-attack', 'what did neil basuu say'],
  ['harbour-bridge-protest', 'whats cape sorel got to do with any of this'],
]) {
  const e = new AnswerEngine({ reports: k.reports.filter((r) => r.meta.id === id) }, { answerCacheSize: 0 });
  const i = e.inspect(q!);
  console.log(q, i.question.words.map((w) => `${w.word}:${w.match}:${[...w.terms.keys()]}:${w.correctedTo}`).join(' '), e.ask(q!).answered);
}
