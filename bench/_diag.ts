import { realCorpus, syntheticCorpus, syntheticVocabulary } from './lib/corpus.ts';
import { AnswerEngine } from '../src/core/answer.ts';
import { buildDocuments, buildLexicon } from '../src/core/search/documents.ts';
import { SearchIndex } from '../src/core/search/search-index.ts';
const t = (f: () => unknown) => { const s = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - s) / 1e6; };
const real = realCorpus();
for (let i = 0; i < 3; i++) {
  console.log('real build', t(() => new AnswerEngine(real.knowledge)).toFixed(1), 'docs', t(() => buildDocuments(real.knowledge)).toFixed(2),
   'index', t(() => new SearchIndex(buildDocuments(real.knowledge), buildLexicon(real.knowledge))).toFixed(1));
}
const c = syntheticCorpus(10000, syntheticVocabulary(real.knowledge));
let docs = buildDocuments(c.knowledge);
console.log('10k docs', t(() => { docs = buildDocuments(c.knowledge); }).toFixed(1), 'index', t(() => new SearchIndex(docs, buildLexicon(c.knowledge))).toFixed(1));
const e = new AnswerEngine(c.knowledge);
for (const q of c.warmupQuestions) e.ask(q);
const rows: [number, number, string, boolean][] = [];
for (const q of c.questions) { let a = false; const ms = t(() => { a = e.ask(q).answered; }); const ms2 = t(() => e.ask(q)); rows.push([ms, ms2, q, a]); }
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows.slice(0, 15)) console.log(r[0].toFixed(1), r[1].toFixed(1), r[3], r[2]);
const idx = new SearchIndex(docs, buildLexicon(c.knowledge));
for (const r of rows.slice(0, 5)) console.log('search only', t(() => idx.search(r[2])).toFixed(1), r[2]);
