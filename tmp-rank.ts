import { DEFAULT_RANKING } from './src/core/answer/retrieve.ts';
import { AnswerEngine } from './src/core/answer/index.ts';
import { MATCH_WEIGHTS } from './src/core/answer/question.ts';
import { articleKnowledge, suiteQuestions } from './src/core/eval-uncurated.ts';
import { readSquadArticles } from './src/cli/squad-data.ts';
const articles = readSquadArticles();
const rel = Number(process.env.REL ?? MATCH_WEIGHTS.related);
(MATCH_WEIGHTS as any).related = rel;
const ranking = { ...DEFAULT_RANKING, ...JSON.parse(process.env.RANK ?? '{}') };
let right = 0, total = 0, typoRight = 0, top3 = 0;
const misses: string[] = [];
articles.forEach((a, i) => {
  const e = new AnswerEngine(articleKnowledge(a), { answerCacheSize: 0 });
  const { own, typos } = suiteQuestions(articles, i);
  own.forEach(({ question, paragraph }, j) => {
    total++;
    const r = e.inspect(question, ranking).ranked;
    if (r[0] && r[0].doc + 1 === paragraph) right++; else if (misses.length < 40 && i % 5 == 0) misses.push(`${a.title}: ${question} exp ${paragraph} got ${r.slice(0,3).map(c=>c.doc+1)}`);
    if (r.slice(0, 3).some((c) => c.doc + 1 === paragraph)) top3++;
    const t = typos[j]!;
    const rt = e.inspect(t.question, ranking).ranked;
    if (rt[0] && rt[0].doc + 1 === paragraph) typoRight++;
  });
});
console.log(`first ${(right / total * 100).toFixed(2)} top3 ${(top3 / total * 100).toFixed(2)} typo ${(typoRight / total * 100).toFixed(2)}`);
if (process.env.MISSES) console.log(misses.join('\n'));
