import { AnswerEngine } from './src/core/answer/index.ts';
import { articleKnowledge, suiteQuestions } from './src/core/eval-uncurated.ts';
import { readSquadArticles } from './src/cli/squad-data.ts';
const articles = readSquadArticles();
let t = performance.now();
const e = new AnswerEngine(articleKnowledge(articles[0]!), { answerCacheSize: 0 });
console.log('build', performance.now() - t);
const { own, typos, offTopic } = suiteQuestions(articles, 0);
for (const [name, qs] of [['own', own], ['typos', typos], ['off', offTopic], ['own again', own]] as const) {
  t = performance.now();
  for (const q of qs) e.ask(q.question);
  console.log(name, qs.length, ((performance.now() - t) / qs.length).toFixed(2), 'ms/q');
}
