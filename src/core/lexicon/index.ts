/**
 * General English, for any report: what a word says against everyday language, which words are
 * real English (and so are not typos), which words are related, and what chat abbreviations mean.
 * Nothing here is derived from a report.
 */
import { readFileSync } from 'node:fs';
import englishWordListPath from 'word-list';

export { CHAT_WORDS } from './chat-words.ts';
export { smallTalk, type SmallTalk } from './small-talk.ts';
export { commonWords, everydayCount, informativeness } from './word-frequencies.ts';
export { irregularLemma, lemmasOf } from './lemmas.ts';
export { isPersonNoun, relatedWords, RELATION_WEIGHTS } from './wordnet.ts';

let englishWords: ReadonlySet<string> | undefined;

/**
 * ~275,000 English words (the word-list package). A real word the report does not use is not a
 * typo: "near" must not become "year", nor "live" become "line". Loaded once, on first need.
 */
export function isEnglishWord(word: string): boolean {
  englishWords ??= new Set(readFileSync(englishWordListPath, 'utf8').split('\n'));
  return englishWords.has(word);
}
