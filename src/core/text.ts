import { stemmer } from 'stemmer';

/**
 * Text processing shared by documents and questions: whatever is done to one is done to the
 * other, or terms stop meeting. Order matters: normalise, fold aliases to entity tokens, split,
 * drop stop words, fold British/American spelling, then stem (entity tokens never reach the stemmer).
 */

/** Curly quotes, non-breaking and odd spaces, dashes -> their plain forms; NFKC for full-width forms. */
export function normalizeText(text: string): string {
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
  return normalizeText(text)
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
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

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', thirty: '30', fifty: '50', 'fifty-eight': '58', 'thirty-two': '32',
};

/**
 * British and American spellings folded to one form before stemming: Porter alone maps
 * "radicalised" and "radicalized" to different stems.
 */
export function foldSpelling(word: string): string {
  return word
    .replace(/isation(s?)$/, 'ization$1')
    // Over-folding ("promise" -> "promize") is harmless: documents and questions fold alike.
    .replace(/([a-z]{4})is(e|ed|es|ing)$/, '$1iz$2')
    .replace(/([a-z]{2})ys(e|ed|es|ing)$/, '$1yz$2')
    .replace(/our$/, (match, offset: number) => (offset >= 3 && /[^aeiou]$/.test(word.slice(0, offset)) ? 'or' : match))
    .replace(/ence$/, (match, offset: number) => (/(off|def|pret)$/.test(word.slice(0, offset)) ? 'ense' : match))
    .replace(/^sceptic/, 'skeptic')
    .replace(/^enquir/, 'inquir');
}

export const ENTITY_PREFIX = 'ent:';

export function isEntityToken(token: string): boolean {
  return token.startsWith(ENTITY_PREFIX);
}

/** A word's searchable form: spelling folded and stemmed; numbers and entity tokens unchanged. */
export function termOf(word: string): string {
  if (isEntityToken(word) || /^\d+$/.test(word)) return word;
  const mapped = NUMBER_WORDS[word];
  if (mapped) return mapped;
  return stemmer(foldSpelling(word));
}

export interface AliasTable {
  /** Folded alias phrase -> entity, longest phrases tried first. */
  phrases: Array<{ pattern: RegExp; entityId: string }>;
}

export function buildAliasTable(aliases: Array<{ alias: string; entityId: string }>): AliasTable {
  const sorted = [...aliases].sort((a, b) => b.alias.length - a.alias.length);
  return {
    phrases: sorted.map(({ alias, entityId }) => ({
      // Aliases match whole words; a possessive "'s" is part of the match so it does not leave an "s" behind.
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(foldForMatching(alias)).replace(/[ -]/g, '[ -]?')}(?:'s)?(?![\\p{L}\\p{N}])`, 'gu'),
      entityId,
    })),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words of a text after folding, alias replacement and splitting; stop words still in. */
export function wordsOf(text: string, aliases?: AliasTable): string[] {
  let folded = foldForMatching(text);
  if (aliases) {
    // Replace with placeholders free of letters first, so a shorter alias ("masood") cannot match
    // inside the token that a longer one ("khalid masood") has just produced.
    const found: string[] = [];
    for (const { pattern, entityId } of aliases.phrases) {
      folded = folded.replace(pattern, () => ` \uE000${found.push(entityId) - 1}\uE001 `);
    }
    folded = folded.replace(/\uE000(\d+)\uE001/g, (_, index: string) => `${ENTITY_PREFIX}${found[Number(index)]}`);
  }
  return folded
    .replace(/'s\b/g, '')
    .replace(/(\p{L})'(\p{L})/gu, '$1$2')
    // "58yo", "ww2": numbers and letters glued together are separate words.
    .replace(/(\p{N})(\p{L})|(\p{L})(\p{N})/gu, '$1$3 $2$4')
    .split(/[^\p{L}\p{N}:'-]+/u)
    .flatMap((word) => (word.startsWith(ENTITY_PREFIX) ? [word] : word.split(/[-']/)))
    .map((word) => word.replace(/^[:'-]+|[:'-]+$/g, ''))
    .filter((word) => word.length > 0);
}

/** Searchable terms of a text: words minus stop words, each through `termOf`. */
export function termsOf(text: string, aliases?: AliasTable): string[] {
  return wordsOf(text, aliases)
    .filter((word) => !STOP_WORDS.has(word))
    .map(termOf);
}
