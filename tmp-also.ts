import { ReportLibrary } from './src/core/answer/library.ts';
import { loadKnowledge } from './src/core/knowledge/load.ts';
const lib = new ReportLibrary(loadKnowledge(), { answerCacheSize: 0 });
for (const q of ['how many people have been arrested', 'who was arrested in birmingham', 'was the woman bailed', 'what did the bbc report', 'how long was the harbour bridge closed']) { const a = lib.ask(q); console.log(q, '|', a.hits[0]?.report, '| also:', a.alsoIn?.map((x) => x.report).join(',')); }
