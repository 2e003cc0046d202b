import { readFileSync } from 'node:fs';
import { importArticle, readArticle } from './src/core/ingest/index.ts';
import { scoreIngestion, truthFromCuratedReport } from './src/core/ingest/measure.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const w = loadKnowledge().reports.find((r) => r.meta.id === 'westminster-attack')!;
const imp = importArticle(readArticle(readFileSync('knowledge/westminster-attack/source.txt', 'utf8'), { html: false }));
console.log('westminster', scoreIngestion(truthFromCuratedReport(w), imp.files));
for (const r of ['harbour-bridge-protest', 'chemical-plant-leak']) {
  const imp2 = importArticle(readArticle(readFileSync(`/tmp/reports/${r}/report.txt`, 'utf8'), { html: false }));
  console.log(r, scoreIngestion(JSON.parse(readFileSync(`/tmp/reports/${r}/expected.json`, 'utf8')), imp2.files));
}
