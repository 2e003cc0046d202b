import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluateUncurated } from './src/core/eval-uncurated.ts';
import { readSquadArticles } from './src/cli/squad-data.ts';
const r = evaluateUncurated(
  readSquadArticles(),
  (a) => new AnswerEngine(a, { answerCacheSize: 0 }),
  (i) => i % 4 === 0,
);
console.log(r.questions, r.firstRate, r.top3Rate, r.typoFirstRate, r.offTopicDeclinedRate, r.falselyDeclinedRate);
