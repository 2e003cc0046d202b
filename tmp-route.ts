import { ReportLibrary } from './src/core/answer/library.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const lib = new ReportLibrary(loadKnowledge(), { answerCacheSize: 0 });
for (const q of process.argv.slice(2)) {
  const a = lib.ask(q, { preferred: ['westminster-attack'] });
  const b = lib.ask(q);
  console.log(
    q,
    '| pref W:',
    a.answered,
    a.hits[0]?.report,
    a.hits[0]?.paragraph,
    a.notIn?.report,
    '| none:',
    b.hits[0]?.report,
    b.hits[0]?.paragraph,
  );
}
