import { readFileSync } from 'node:fs';
import { AnswerEngine } from './src/core/answer/index.ts';
import { evaluate, paragraphsOnly } from './src/core/eval.ts';
import { importArticle, readArticle } from './src/core/ingest/index.ts';
import { validateKnowledge } from './src/core/knowledge/validate.ts';
import type { Knowledge } from './src/core/knowledge/types.ts';
const sets: Array<[string, string, string[]]> = [
  ['westminster-attack', 'knowledge/westminster-attack/source.txt', ['tests/questions/holdout-blind.json', 'tests/questions/holdout.json']],
  ['harbour-bridge-protest', 'tests/reports/harbour-bridge-protest/report.txt', ['tests/questions/harbour-bridge-protest.json']],
  ['chemical-plant-leak', 'tests/reports/chemical-plant-leak/report.txt', ['tests/questions/chemical-plant-leak.json']],
];
const variants: Record<string, (k: Knowledge) => Knowledge> = {
  paragraphs: (k) => paragraphsOnly(k),
  all: (k) => k,
  noTimeline: (k) => ({ reports: k.reports.map((r) => ({ ...r, facts: { ...r.facts, timeline: [] } })) }),
  noQuotes: (k) => ({ reports: k.reports.map((r) => ({ ...r, facts: { ...r.facts, quotes: [] } })) }),
  noArrests: (k) => ({ reports: k.reports.map((r) => ({ ...r, facts: { ...r.facts, arrests: [] } })) }),
  noEntities: (k) => ({ reports: k.reports.map((r) => ({ ...r, facts: { ...r.facts, entities: [], quotes: [] } })) }),
  noAttribution: (k) => ({
    reports: k.reports.map((r) => ({
      ...r,
      paragraphs: r.paragraphs.map(({ attribution, ...p }) => p),
      blocks: r.blocks.map((b) => {
        if (b.kind !== 'paragraph') return b;
        const { attribution, ...rest } = b;
        return rest;
      }),
    })),
  }),
  noSuggested: (k) => ({ reports: k.reports.map((r) => ({ ...r, facts: { ...r.facts, suggestedQuestions: [] } })) }),
};
for (const [id, file, qfiles] of sets) {
  const imp = importArticle(readArticle(readFileSync(file, 'utf8'), { html: false }), { id });
  const k = validateKnowledge([
    { folder: 'x', reportJson: JSON.stringify(imp.files.report), factsJson: JSON.stringify(imp.files.facts), sourceText: imp.sourceText },
  ]).knowledge!;
  const qs = qfiles.flatMap((q) => JSON.parse(readFileSync(q, 'utf8')));
  const line = Object.entries(variants).map(([name, v]) => {
    const r = evaluate(new AnswerEngine(v(k), { answerCacheSize: 0 }), qs);
    return `${name} ${(r.firstRate * 100).toFixed(1)}/${(r.declinedRate * 100).toFixed(0)}`;
  });
  console.log(id, line.join('  '));
}
