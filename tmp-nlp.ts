import nlp from 'compromise';
import datesPlugin from 'compromise-dates';
import { readFileSync } from 'node:fs';
nlp.plugin(datesPlugin as never);
const text = readFileSync('knowledge/westminster-attack/source.txt', 'utf8');
const blocks = text
  .split(/\n\s*\n/)
  .map((b) => b.trim())
  .filter(Boolean);
for (const b of blocks) {
  const doc = nlp(b);
  console.log('---', b.slice(0, 60));
  console.log(' people', doc.people().out('array'));
  console.log(' orgs', doc.organizations().out('array'));
  console.log(' places', doc.places().out('array'));
  console.log(' quotes', doc.quotations().out('array'));
  console.log(' dates', (doc as any).dates().out('array'), (doc as any).times?.().out('array'));
}
