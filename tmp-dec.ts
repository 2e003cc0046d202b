import { AnswerEngine } from './src/core/answer/index.ts';
import { answerProbability } from './src/core/answer/decide.ts';
import { articleKnowledge, suiteQuestions } from './src/core/eval-uncurated.ts';
import { readSquadArticles } from './src/cli/squad-data.ts';
import model from './src/core/answer/decision-model.json' with { type: 'json' };
const articles = readSquadArticles();
const pos: string[] = [], neg: string[] = [];
articles.slice(0, 20).forEach((a, i) => {
  const e = new AnswerEngine(articleKnowledge(a), { answerCacheSize: 0 });
  const { own, offTopic } = suiteQuestions(articles, i);
  const show = (q: string) => { const x = e.inspect(q); return `${answerProbability(x.features).toFixed(2)} ${q} | ${x.question.words.map(w => `${w.word}:${w.match[0]}${w.english?'E':''}${w.information.toFixed(2)}`).join(' ')} | f=${x.features.map(f => f.toFixed(2)).join(',')}`; };
  for (const { question } of own) { const p = answerProbability(e.inspect(question).features); if (p < model.threshold && pos.length < 30 && Math.random() < 0.3) pos.push(a.title + ': ' + show(question)); }
  for (const { question } of offTopic) { const p = answerProbability(e.inspect(question).features); if (p >= model.threshold && neg.length < 30 && Math.random() < 0.5) neg.push(a.title + ': ' + show(question)); }
});
console.log('FALSELY DECLINED'); console.log(pos.join('\n')); console.log('WRONGLY ANSWERED'); console.log(neg.join('\n'));
