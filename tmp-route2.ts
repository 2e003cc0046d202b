import { readFileSync } from 'node:fs';
import { ReportLibrary } from './src/core/answer/library.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const lib = new ReportLibrary(loadKnowledge(), { answerCacheSize: 0 });
const sets: Record<string, string> = { 'harbour-bridge-protest': 'harbour-bridge-protest.json', 'westminster-attack': 'questions.json' };
for (const [id, f] of Object.entries(sets)) {
  const qs = JSON.parse(readFileSync(`tests/questions/${f}`, 'utf8')).filter((q: any) => !q.offTopic);
  let wrong = 0, ownAnswered = 0, ownRight = 0;
  for (const q of qs) {
    const a = lib.ask(q.question);
    if (!a.hits[0] || a.hits[0].report === id) continue;
    wrong++;
    const own = lib.engineFor(id)!.ask(q.question);
    if (own.answered) { ownAnswered++; if (q.paragraphs.includes(own.hits[0]!.paragraph)) ownRight++; console.log((own.probability ?? 0).toFixed(2), (a.probability ?? 0).toFixed(2), own.hits[0]!.confidence.toFixed(2), a.hits[0].confidence.toFixed(2), q.question); }
  }
  console.log(id, 'wrong', wrong, 'own also answered', ownAnswered, 'own right', ownRight);
}
