import { isPersonNoun } from './src/core/lexicon/index.ts';
for (const w of [
  'chief',
  'police',
  'investigation',
  'spokesman',
  'statement',
  'coordinator',
  'detectives',
  'detective',
  'group',
  'company',
  'interview',
  'report',
  'minister',
  'service',
])
  console.log(w, isPersonNoun(w));
