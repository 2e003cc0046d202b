import { AnswerEngine } from './src/core/answer/index.ts';
import { articleKnowledge } from './src/core/eval-uncurated.ts';
const FIRE = {
  title: 'x',
  paragraphs: [
    'A fire broke out at a furniture warehouse on Kirkstall Road in Leeds shortly after 2am on Tuesday, West Yorkshire Fire and Rescue Service said.',
    'Station manager Priya Patel said the roof of the building had collapsed and crews would stay at the scene for several days.',
    'Nobody was injured.',
  ].map((context) => ({ context, qas: [] })),
};
for (const typoCorrection of [true, false]) {
  const e = new AnswerEngine(articleKnowledge(FIRE), { answerCacheSize: 0, mechanisms: { typoCorrection } });
  const a = e.ask('what did the manger say');
  console.log(typoCorrection, a.answered, a.hits[0]?.paragraph);
}
