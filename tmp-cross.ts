import { readFileSync } from 'node:fs';
import { ReportLibrary } from './src/core/answer/library.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const k = loadKnowledge();
const lib = new ReportLibrary(k, { answerCacheSize: 0 });
const sets: Record<string, string[]> = {
  'westminster-attack': ['tests/questions/holdout-blind.json', 'tests/questions/holdout.json'],
  'harbour-bridge-protest': ['tests/questions/harbour-bridge-protest.json'],
  'chemical-plant-leak': ['tests/questions/chemical-plant-leak.json'],
};
for (const pref of [false, true])
  for (const [id, files] of Object.entries(sets)) {
    const qs = files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')));
    let on = 0,
      first = 0,
      wrong = 0,
      off = 0,
      declined = 0,
      single = 0;
    for (const q of qs) {
      const a = lib.ask(q.question, pref ? { preferred: [id] } : {});
      const s = lib.engineFor(id)!.ask(q.question);
      if (q.offTopic) {
        off++;
        if (!a.answered) declined++;
        continue;
      }
      on++;
      const h = a.hits[0];
      if (h && h.report === id && q.paragraphs.includes(h.paragraph)) first++;
      if (s.hits[0] && q.paragraphs.includes(s.hits[0].paragraph)) single++;
      if (h && h.report !== id) wrong++;
    }
    console.log(
      pref ? 'preferred' : 'no default',
      id,
      'first',
      ((first / on) * 100).toFixed(1),
      'single-report first',
      ((single / on) * 100).toFixed(1),
      'wrong report',
      ((wrong / on) * 100).toFixed(1),
      'declined off',
      ((declined / off) * 100).toFixed(1),
    );
  }
