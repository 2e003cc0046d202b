import { informativeness } from './src/core/lexicon/index.ts';
import { wordsOf } from './src/core/text.ts';
console.log(['the','name','prison','rhine','xyzzy','1990','2','oxygen'].map(w=>w+'='+informativeness(w).toFixed(2)).join(' '));
console.log(wordsOf('There were 100,000 people in 1990, about 4.7 each'));
