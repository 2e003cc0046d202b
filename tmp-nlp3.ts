import { termsOf } from './src/core/ingest/nlp.ts';
import { readFileSync } from 'node:fs';
for (const f of [
  'knowledge/westminster-attack/source.txt',
  '/tmp/reports/harbour-bridge-protest/report.txt',
  '/tmp/reports/chemical-plant-leak/report.txt',
]) {
  const t = readFileSync(f, 'utf8');
  const out = new Set<string>();
  for (const p of t.split(/\n\s*\n/)) {
    const terms = termsOf(p);
    terms.forEach((x, i) => {
      if (i > 0 && x.tags.includes('ProperNoun') && !x.tags.includes('Person') && !x.tags.includes('Place'))
        out.add(x.text + '/' + x.tags.join(','));
    });
  }
  console.log([...out].join('\n'));
}
