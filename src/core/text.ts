import { stemmer } from 'stemmer';
import { irregularLemma } from './lexicon/lemmas.ts';

/**
 * Text processing shared by documents and questions: whatever is done to one is done to the
 * other, or terms stop meeting. Order matters: normalise, fold aliases to entity tokens, split,
 * drop stop words, fold British/American spelling, then stem (entity tokens never reach the stemmer).
 */

/** Only printable ASCII (no tab, no control or non-ASCII character). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Curly quotes, non-breaking and odd spaces, dashes -> their plain forms; NFKC for full-width forms. */
export function normalizeText(text: string): string {
  // Most text is plain printable ASCII: NFKC leaves it as it is and of the replacements below
  // only the backtick, the double spaces and the trim can apply, so skip the Unicode passes.
  if (PRINTABLE_ASCII.test(text)) {
    const withQuotes = text.includes('`') ? text.replace(/`/g, "'") : text;
    return (withQuotes.includes('  ') ? withQuotes.replace(/ {2,}/g, ' ') : withQuotes).trim();
  }
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\t]/g, ' ')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Lower-cased, accent-free form used for matching (keeps word boundaries). */
export function foldForMatching(text: string): string {
  const normalized = normalizeText(text).toLowerCase();
  // Plain ASCII has no accents to strip: NFD leaves it unchanged.
  if (PRINTABLE_ASCII.test(normalized)) return normalized;
  return normalized.normalize('NFD').replace(/\p{M}/gu, '');
}

/** Words that carry no meaning for retrieval, question words included. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above again against all am an and any are aren't as at be because been being below
  between both but by can can't could couldn't did didn't do does doesn't doing don't down during each few
  for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
  him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
  mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
  shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
  themselves then there there's these they they'd they'll they're they've this those through to too under
  until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
  which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
  yourself yourselves whats wheres whos hows whens im ive dont doesnt didnt isnt wasnt arent werent cant
  couldnt wouldnt shouldnt u ur r ya yeah yes ok okay pls please plz tell know anything something thing
  things say says said get got just really actually also any anyone anybody like give show me us wanna
  gonna think thought report article story news bot hey hi hello lol many much will may might must shall
  guy guys dude bloke someone everyone everybody somebody anybody stuff whole true false right wrong legit
  apparently exactly basically literally honestly seriously keep seeing saying heard hear read online
  people's ppl's summary tldr tl dr explain details detail info information mean means meant ok so
  okay um uh hmm idk rn btw fyi kinda sorta pretty quite bit lot lots now came come comes theres thats heres hes shes theyre youre weve theyve wont anyway
  else also guess wonder wondering curious question questions answer`
    .split(/\s+/)
    .filter(Boolean),
);

// "said" and "says" are stop words for questions ("what did basu say") but a paragraph that quotes
// someone is found through the speaker's entity token instead, so nothing is lost.

/** Number words to digits, as reports and people write both ("two men", "2 men"). */
const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** "seven" -> "7", "fifty" -> "50", "fifty-eight" -> "58"; undefined for any other word. */
export function numberWordValue(word: string): string | undefined {
  const unit = UNITS.indexOf(word);
  if (unit >= 0) return String(unit);
  const [tensWord, unitWord] = word.split('-');
  const tens = TENS.indexOf(tensWord ?? '');
  if (tens < 2) return undefined;
  if (unitWord === undefined) return String(tens * 10);
  const units = UNITS.indexOf(unitWord);
  return units >= 1 && units <= 9 ? String(tens * 10 + units) : undefined;
}

/**
 * British and American spellings folded to one form before stemming: Porter alone maps
 * "radicalised" and "radicalized" to different stems.
 */
export function foldSpelling(word: string): string {
  return (
    word
      .replace(/isation(s?)$/, 'ization$1')
      // Over-folding ("promise" -> "promize") is harmless: documents and questions fold alike.
      .replace(/([a-z]{4})is(e|ed|es|ing)$/, '$1iz$2')
      .replace(/([a-z]{2})ys(e|ed|es|ing)$/, '$1yz$2')
      .replace(/our$/, (match, offset: number) => (offset >= 3 && /[^aeiou]$/.test(word.slice(0, offset)) ? 'or' : match))
      .replace(/ence$/, (match, offset: number) => (/(off|def|pret)$/.test(word.slice(0, offset)) ? 'ense' : match))
      .replace(/^sceptic/, 'skeptic')
      .replace(/^enquir/, 'inquir')
  );
}

export const ENTITY_PREFIX = 'ent:';

export function isEntityToken(token: string): boolean {
  return token.startsWith(ENTITY_PREFIX);
}

/** A word's searchable form: irregular forms to their lemma, spelling folded, stemmed; numbers and entity tokens unchanged. */
export function termOf(word: string): string {
  let term = termCache.get(word);
  if (term === undefined) {
    if (isEntityToken(word) || /^\d+$/.test(word)) return word;
    term = numberWordValue(word) ?? stemmer(foldSpelling(irregularLemma(word)));
    // Stemming is the costly step of a query; the words people use are few, but keep the memo bounded.
    if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
    termCache.set(word, term);
  }
  return term;
}

const TERM_CACHE_LIMIT = 50_000;
const termCache = new Map<string, string>();

export interface AliasTable {
  /** All aliases in one pattern on folded text, longest first, so a text is folded in a single pass. */
  anyAlias: RegExp;
  /** An alias as matched, spaces, hyphens and "'s" removed -> its entity. */
  entityByKey: ReadonlyMap<string, string>;
}

/** Aliases match whole words, with or without their spaces and hyphens ("los angeles", "los-angeles", "losangeles"). */
function aliasSource(alias: string): string {
  return escapeRegExp(foldForMatching(alias)).replace(/[ -]/g, '[ -]?');
}

function aliasKey(matched: string): string {
  return matched.replace(/'s$/, '').replace(/[ -]/g, '');
}

export function buildAliasTable(aliases: Array<{ alias: string; entityId: string }>): AliasTable {
  const sorted = [...aliases].sort((a, b) => b.alias.length - a.alias.length);
  const entityByKey = new Map<string, string>();
  for (const { alias, entityId } of sorted) {
    const key = aliasKey(foldForMatching(alias));
    if (!entityByKey.has(key)) entityByKey.set(key, entityId);
  }
  // Alternatives are tried in order at each position: longest first, "khalid masood" before "masood".
  // A possessive "'s" is part of the match so it does not leave an "s" behind.
  const alternatives = sorted.map(({ alias }) => aliasSource(alias)).join('|') || '(?!)';
  return { anyAlias: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?:'s)?(?![\\p{L}\\p{N}])`, 'gu'), entityByKey };
}

/** The aliases found in a folded text: where, as written, and for which entity. */
export function aliasesIn(folded: string, aliases: AliasTable): Array<{ index: number; text: string; entityId: string }> {
  return [...folded.matchAll(aliases.anyAlias)].flatMap((match) => {
    const entityId = aliases.entityByKey.get(aliasKey(match[0]));
    return entityId === undefined ? [] : [{ index: match.index, text: match[0], entityId }];
  });
}

/**
 * Finds any of the given words or phrases as whole words, longest first (so "New York" wins
 * over "New"); undefined when there is nothing to find. Used to mark matched words in passages.
 */
export function wholeWordsPattern(words: readonly string[]): RegExp | undefined {
  const distinct = [...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length);
  if (distinct.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(${distinct.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words of a text after folding, alias replacement and splitting; stop words still in. */
export function wordsOf(text: string, aliases?: AliasTable): string[] {
  let folded = foldForMatching(text);
  if (aliases && aliases.entityByKey.size > 0) {
    folded = folded.replace(aliases.anyAlias, (matched) => {
      const entityId = aliases.entityByKey.get(aliasKey(matched));
      return entityId === undefined ? matched : ` ${ENTITY_PREFIX}${entityId} `;
    });
  }
  // Each replacement is skipped when the text lacks the character it needs: most texts have
  // no apostrophe and no digit, and these Unicode-aware passes dominate building the index.
  if (folded.includes("'")) folded = folded.replace(/'s\b/g, '').replace(/(\p{L})'(\p{L})/gu, '$1$2');
  if (ANY_NUMBER.test(folded)) {
    // "100,000" is one number; "58yo", "ww2": numbers and letters glued together are separate words.
    folded = folded.replace(/(?<=\d),(?=\d{3}\b)/g, '').replace(/(\p{N})(\p{L})|(\p{L})(\p{N})/gu, '$1$3 $2$4');
  }
  const words: string[] = [];
  // The runs of word characters are what splitting on the others leaves, without the empty strings.
  for (const run of folded.match(WORD_RUN) ?? []) {
    if (run.startsWith(ENTITY_PREFIX)) pushTrimmed(words, run);
    else if (run.includes('-') || run.includes("'")) for (const part of run.split(/[-']/)) pushTrimmed(words, part);
    else pushTrimmed(words, run);
  }
  return words;
}

const ANY_NUMBER = /\p{N}/u;
const WORD_RUN = /[\p{L}\p{N}:'-]+/gu;

/** Adds a word without its leading and trailing colons, apostrophes and hyphens, unless nothing is left. */
function pushTrimmed(words: string[], word: string): void {
  const trimmed =
    isTrimChar(word.charCodeAt(0)) || isTrimChar(word.charCodeAt(word.length - 1)) ? word.replace(/^[:'-]+|[:'-]+$/g, '') : word;
  if (trimmed.length > 0) words.push(trimmed);
}

function isTrimChar(code: number): boolean {
  return code === 58 /* : */ || code === 39 /* ' */ || code === 45; /* - */
}
