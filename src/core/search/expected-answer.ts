import { foldForMatching, normalizeText } from '../text.ts';

/**
 * What kind of answer a question asks for, read from its form. "How old was Masood?" asks for an
 * age: a passage about Masood that gives no age does not answer it, and a passage giving the age
 * of someone else does not either. Matching words alone cannot see this (the report has ages,
 * and has Masood, but never together), so near-miss questions slip through the evidence test.
 *
 * Each kind names the words of the question that only say what is asked ("old", "name", "day"):
 * they are the answer's slot, not the question's topic, so they are left out of the search.
 */
export type AnswerKind = 'age' | 'count' | 'name' | 'time' | 'day' | 'clock' | 'duration' | 'measure' | 'origin' | 'place';

export interface ExpectedAnswer {
  kind: AnswerKind;
  /** The question without the words that only name the slot. */
  topic: string;
}

interface QuestionForm {
  kind: AnswerKind;
  /** Recognises the form on the folded question. */
  form: RegExp;
  /** Words to drop from the topic (the slot's own words). */
  slotWords: RegExp;
}

// Order matters: the more specific form first ("what time" before "when", "how long" before "how").
const QUESTION_FORMS: readonly QuestionForm[] = [
  { kind: 'age', form: /\bhow old\b|\bage\b|\baged\b/, slotWords: /\b(old|age|aged)\b/g },
  { kind: 'count', form: /\bhow (?:many|much)\b|\bnumber of\b|\bdeath toll\b|\btoll\b/, slotWords: /\b(number|toll)\b/g },
  { kind: 'name', form: /\bnames?\b|\bnamed\b|\bwhat (?:is|was|were|are) (?:[\w']+ ){1,4}called\b/, slotWords: /\b(names?|named|called)\b/g },
  { kind: 'clock', form: /\bwhat time\b|\bwhich time\b|\bwhat hour\b|\btime of day\b/, slotWords: /\b(time|hour|of day)\b/g },
  { kind: 'day', form: /\b(what|which) (day|date|year|month)\b|\bon what (day|date)\b/, slotWords: /\b(day|date|year|month)\b/g },
  { kind: 'measure', form: /\bhow (?:fast|far|big|tall|high|heavy|large|wide|deep|short|small|loud)\b|\bwhat (?:speed|size|height|weight|distance)\b/, slotWords: /\b(fast|far|big|tall|high|heavy|large|wide|deep|short|small|loud|speed|size|height|weight|distance)\b/g },
  { kind: 'time', form: /\bhow long ago\b/, slotWords: /\b(long|ago)\b/g },
  { kind: 'duration', form: /\bhow (?:long|quickly|quick|soon)\b/, slotWords: /\b(long|quickly|quick|soon|last|lasted|take|took)\b/g },
  { kind: 'time', form: /^(when|whens|when's)\b|\bwhen (did|was|were|is|are|will|does|do|has|had|could)\b|\bsince when\b/, slotWords: /$^/g },
  // "Where was he from?", "where did he rent it from?": a source, not where something happened.
  { kind: 'origin', form: /^(?:where|wheres|where's)\b.*\bfrom$/, slotWords: /\bfrom$/g },
  // "Where is the investigation at?" asks how far it has got, not for a place.
  { kind: 'place', form: /^(?!.*\bat$)(?:where|wheres|where's)\b|\bwhere (did|was|were|is|are|does|do|has|had)\b|\b(what|which) (place|location|city|town|country|street|area)\b/, slotWords: /\b(?<!(?:take|takes|took|taken|taking) )(place|location)\b/g },
];

/** The kind of answer the question asks for, if its form says; and its topic, without the slot's words. */
export function expectedAnswer(question: string): ExpectedAnswer | undefined {
  const folded = foldForMatching(question).replace(/[^\p{L}\p{N}' -]+/gu, ' ').replace(/\s+/g, ' ').trim();
  for (const { kind, form, slotWords } of QUESTION_FORMS) {
    if (form.test(folded)) return { kind, topic: folded.replace(slotWords, ' ').replace(/\s+/g, ' ').trim() };
  }
  return undefined;
}

/**
 * Questions whose form puts them outside any news report: how the asker should do something
 * ("how do I use WhatsApp?", "how to...", "can I..."), and how something works in general
 * ("how does WhatsApp encryption work?"). A report tells what happened, not how-tos.
 */
export function asksForHowTo(question: string): boolean {
  const folded = foldForMatching(question).replace(/[^\p{L}\p{N}' ]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return (
    // "Can you tell me...", "do you know..." are questions about the report, put politely.
    /^(?:(?:how|where|what|when|why) )?(?:do|can|could|should|shall|would|may) (?:i|u|you)\b/.test(folded) &&
    !/\b(?:know|tell|say|explain|find|think|summari[sz]e|sum up|describe|give|show|list|confirm|clarify)\b/.test(folded)
  ) || /^how to\b/.test(folded) || /^how (?:does|do|did|would|will|can) .+ (?:work|works|function)$/.test(folded);
}

const NUMBER_WORD = '(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen|dozens|hundreds)';
const WEEKDAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
// "May" is left out: far more often the verb than the month.
const MONTH = '(?:january|february|march|april|june|july|august|september|october|november|december)';
const YEAR = '(?:1[89]\\d\\d|20\\d\\d)';
const UNIT = '(?:second|minute|hour|day|week|weekend|fortnight|month|year)s?';

/** What a passage can answer, tested on its folded text. */
const ANSWER_PATTERNS: Record<AnswerKind, RegExp> = {
  age: new RegExp(`\\b\\d+[- ]?(?:year|yr)s?[- ]old\\b|\\baged \\d+\\b|\\b\\d+ ?yo\\b|\\bin (?:his|her|their) (?:teens|twenties|thirties|forties|fifties|sixties)\\b`),
  count: new RegExp(`\\b${NUMBER_WORD}\\b`),
  // A name someone was given ("called Masood 'a soldier of the Islamic State'"); the names of
  // entities are checked against their cards (see AnswerEngine).
  name: /(?<!\bnot )\b(?:called|named|dubbed|labell?ed|branded|described as|referred to as|known as)\b/,
  time: new RegExp(`\\b(?:${WEEKDAY}|${MONTH}|${YEAR}|${UNIT}|yesterday|today|tonight|tomorrow|morning|afternoon|evening|night|ago|before|after|since|until|earlier|later|recently|previously)\\b`),
  day: new RegExp(`\\b(?:${WEEKDAY}|${MONTH}|${YEAR}|yesterday|today|tomorrow)\\b|\\b${NUMBER_WORD} ${UNIT} (?:after|before|later|earlier)\\b|\\bday (?:after|before)\\b`),
  measure: /\b\d+(?:\.\d+)? ?(?:mph|km\/h|kph|kmh|miles|mile|km|kilometres|kilometers|metres|meters|m|feet|ft|foot|yards|kg|kilos|tonnes|tons|pounds|lbs|inches|cm)\b/,
  origin: /\bfrom (?:the )?(?:town|city|village|country|area|county|region|firm|company|agency|branch|depot|dealer|dealership)\b|\bborn in\b|\bgrew up in\b|\bnative of\b|\bhails from\b|\bcame from\b|\bcomes from\b/,
  clock: /\b\d{1,2}(?::\d\d)? ?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\bo'?clock\b|\b(?:morning|afternoon|evening|night|midday|noon|midnight|dawn|dusk|rush hour)\b/,
  duration: new RegExp(`\\b(?:${NUMBER_WORD}|a|an|few|several|some) ${UNIT}\\b|\\buntil\\b|\\bfor (?:a|the) ${UNIT}\\b`),
  // Place nouns; proper names of places are found on the unfolded text (see answerKindsIn).
  place: /\b(?:bridges?|parliament|palace|streets?|roads?|squares?|stations?|city|cities|towns?|country|countries|areas?|grounds|pavement|fence|home|house|flat|address|prison|jail|hospital|abroad|scene|buildings?)\b/,
};

const ANY_AGE = new RegExp(ANSWER_PATTERNS.age.source, 'g');
const ANY_YEAR = new RegExp(`\\b${YEAR}\\b`, 'g');

/**
 * A time given relative to an event: "one day after the attack", "in the days leading up to it",
 * "on the day of the attack". It dates something by the attack, so it cannot date the attack itself.
 */
const RELATIVE_TIME = /(?:\b[\p{L}\d]+\s+){0,2}\b(?:before|after|since|until|ahead of|leading up to|prior to|day of)\s+(?:the\s+|this\s+|that\s+|his\s+)?(\p{L}+)/gu;

/** The words a text uses as reference points of time: "attack" in "how long after the attack". */
export function timeAnchorsIn(text: string): string[] {
  return [...foldForMatching(text).matchAll(RELATIVE_TIME)].map((match) => match[1] ?? '');
}

/** Kinds that the question's own topic cannot answer (see answerKindsIn). */
export const TOPIC_SENSITIVE_KINDS: ReadonlySet<AnswerKind> = new Set(['time', 'day', 'clock', 'duration', 'place']);

/** A text in the two forms that answer kinds are read from; worth keeping for a text read many times. */
export interface AnswerText {
  /** foldForMatching of the text. */
  folded: string;
  /** normalizeText of the text (case kept, for proper names of places). */
  original: string;
}

export function answerTextOf(text: string): AnswerText {
  return { folded: foldForMatching(text), original: normalizeText(text) };
}

/**
 * The kinds of answer a text contains (a fact's summary, a paragraph and its keywords).
 * @param isTopic when given, what the question is about does not count as its own answer: a time
 *   relative to it ("one day after the attack" does not date the attack), nor its own place
 *   ("in Birmingham" does not say where Birmingham is).
 */
export function answerKindsIn(text: string, isTopic?: (word: string) => boolean): Set<AnswerKind> {
  return answerKindsInText(answerTextOf(text), isTopic);
}

/** answerKindsIn for a text already folded and normalised. */
export function answerKindsInText(text: AnswerText, isTopic?: (word: string) => boolean): Set<AnswerKind> {
  const folded = isTopic ? withoutTopic(text.folded, isTopic) : text.folded;
  // "30-year-old" is an age, not a time: "year" must not answer "when". A year is no count, but
  // "a 58-year-old man" is one person, so ages stay in for counting.
  const withoutAges = folded.replace(ANY_AGE, ' ');
  const withoutYears = folded.replace(ANY_YEAR, ' ');
  const kinds = new Set<AnswerKind>();
  for (const [kind, pattern] of Object.entries(ANSWER_PATTERNS) as Array<[AnswerKind, RegExp]>) {
    const tested = kind === 'age' ? folded : kind === 'count' ? withoutYears : withoutAges;
    if (pattern.test(tested)) kinds.add(kind);
  }
  if (namesPlace(isTopic ? blankTopic(text.original, isTopic) : text.original)) kinds.add('place');
  return kinds;
}

/**
 * Whether `answerKindsInText(text, isTopic)` has `kind`, working out only what that kind needs:
 * checking candidates for a question's kind is on the path of every "when"/"where" question.
 */
export function holdsAnswerKind(text: AnswerText, kind: AnswerKind, isTopic?: (word: string) => boolean): boolean {
  const folded = isTopic ? withoutTopic(text.folded, isTopic) : text.folded;
  const tested = kind === 'age' ? folded : kind === 'count' ? folded.replace(ANY_YEAR, ' ') : folded.replace(ANY_AGE, ' ');
  if (ANSWER_PATTERNS[kind].test(tested)) return true;
  return kind === 'place' && namesPlace(isTopic ? blankTopic(text.original, isTopic) : text.original);
}

/** The folded text without the question's topic: times relative to it dropped, its own words blanked. */
function withoutTopic(folded: string, isTopic: (word: string) => boolean): string {
  return blankTopic(folded.replace(RELATIVE_TIME, (match, anchor: string) => (isTopic(anchor) ? ' ' : match)), isTopic);
}

function blankTopic(value: string, isTopic: (word: string) => boolean): string {
  return value.replace(/\p{L}+/gu, (word) => (isTopic(word.toLowerCase()) ? '_' : word));
}

/** A proper name of a place, on the unfolded text: "in Birmingham", "outside the Palace". */
function namesPlace(original: string): boolean {
  return /\b(?:in|at|near|outside|inside|across) (?:the )?\p{Lu}\p{Ll}+/u.test(original);
}

/**
 * Sentences and clauses, and each curated keyword on its own: an answer must sit next to what the
 * question is about. "His last criminal offence was in 2003" holds a year, but it does not date the attack.
 */
export function clausesOf(text: string): string[] {
  return normalizeText(text)
    .split(/(?<=[.!?;])\s+|\s+;\s+|\n+/)
    .map((clause) => clause.trim())
    .filter(Boolean);
}
