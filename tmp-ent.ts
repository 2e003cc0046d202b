import { readFileSync } from 'node:fs';
import { articleFromText } from './src/core/ingest/article.ts';
import { findEntities } from './src/core/ingest/entities.ts';
for (const f of [
  'knowledge/westminster-attack/source.txt',
  '/tmp/reports/harbour-bridge-protest/report.txt',
  '/tmp/reports/chemical-plant-leak/report.txt',
]) {
  const a = articleFromText(readFileSync(f, 'utf8'));
  const ps = a.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
  console.log(
    f,
    ps.length,
    a.blocks.filter((b) => b.kind === 'heading').map((b) => b.text),
  );
  for (const e of findEntities(ps, a.title)) console.log(' ', e.kind, e.name, e.aliases, '|', e.role, e.paragraphs);
}
