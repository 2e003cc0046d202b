import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluateUncurated } from './src/core/eval-uncurated.ts';
import { miniSearch, plainBm25 } from './src/cli/baselines.ts';
import { readSquadArticles } from './src/cli/squad-data.ts';
const articles = readSquadArticles();
const pct = (r: any) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && v <= 1 ? (v * 100).toFixed(1) : v]));
let t = performance.now();
console.log('ours', pct(evaluateUncurated(articles, (k) => new AnswerEngine(k, { answerCacheSize: 0 }))), ((performance.now() - t) / 1000).toFixed(1) + 's');
if (process.argv[2] === 'all') {
  console.log('bm25', pct(evaluateUncurated(articles, plainBm25)));
  console.log('mini', pct(evaluateUncurated(articles, miniSearch)));
}
