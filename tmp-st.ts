import { smallTalk } from './src/core/lexicon/index.ts';
for (const t of [
  'thanks',
  'thank you so much!',
  'thx bot',
  'hi',
  'hello there',
  'good morning',
  'ok thanks',
  'thanks who was arrested',
  'hi what happened',
  'cool',
  'who said thanks',
  'was he good',
  'ty 🙏',
  'Hey guys!!',
])
  console.log(JSON.stringify(t), smallTalk(t));
