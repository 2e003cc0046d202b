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
export type AnswerKind = 'age' | 'count' | 'name' | 'time' | 'day' | 'clock' | 'duration' | 'place';

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
  { kind: 'count', form: /\bhow many\b|\bnumber of\b|\bdeath toll\b|\btoll\b/, slotWords: /\b(number|toll)\b/g },
  { kind: 'name', form: /\bnames?\b|\bnamed\b|\bwhat (?:is|was|were|are) (?:\w+ ){1,4}called\b/, slotWords: /\b(names?|named|called)\b/g },
  { kind: 'clock', form: /\bwhat time\b|\bwhich time\b|\bwhat hour\b|\btime of day\b/, slotWords: /\b(time|hour|of day)\b/g },
  { kind: 'day', form: /\b(what|which) (day|date|year|month)\b|\bon what (day|date)\b/, slotWords: /\b(day|date|year|month)\b/g },
  { kind: 'duration', form: /\bhow long\b/, slotWords: /\blong\b/g },
  { kind: 'time', form: /^(when|whens|when's)\b|\bwhen (did|was|were|is|are|will|does|do|has|had|could)\b|\bsince when\b/, slotWords: /$^/g },
  { kind: 'place', form: /^(where|wheres|where's)\b|\bwhere (did|was|were|is|are|does|do|has|had)\b|\b(what|which) (place|location|city|town|country|street|area)\b/, slotWords: /\b(place|location)\b/g },
];

export function expectedAnswer(question: string): ExpectedAnswer | undefined {
  const folded = foldForMatching(question).replace(/[^\p{L}\p{N}' -]+/gu, ' ').replace(/\s+/g, ' ').trim();
  for (const { kind, form, slotWords } of QUESTION_FORMS) {
    if (form.test(folded)) return { kind, topic: folded.replace(slotWords, ' ').replace(/\s+/g, ' ').trim() };
  }
  return undefined;
}

const NUMBER_WORD = '(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen|dozens|hundreds)';
const WEEKDAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(?:january|february|march|april|june|july|august|september|october|november|december)';
const YEAR = '(?:1[89]\\d\\d|20\\d\\d)';
const UNIT = '(?:second|minute|hour|day|week|weekend|fortnight|month|year)s?';

/** What a passage can answer, tested on its folded text. */
const ANSWER_PATTERNS: Record<AnswerKind, RegExp> = {
  age: new RegExp(`\\b\\d+[- ]?(?:year|yr)s?[- ]old\\b|\\baged \\d+\\b|\\b\\d+ ?yo\\b|\\bin (?:his|her|their) (?:teens|twenties|thirties|forties|fifties|sixties)\\b`),
  count: new RegExp(`\\b${NUMBER_WORD}\\b`),
  // Names are checked against the entities (see AnswerEngine); a passage alone cannot tell.
  name: /$^/,
  time: new RegExp(`\\b(?:${WEEKDAY}|${MONTH}|${YEAR}|${UNIT}|yesterday|today|tonight|tomorrow|morning|afternoon|evening|night|ago|before|after|since|until|earlier|later|recently|previously)\\b`),
  day: new RegExp(`\\b(?:${WEEKDAY}|${MONTH}|${YEAR}|yesterday|today|tomorrow)\\b|\\b${NUMBER_WORD} ${UNIT} (?:after|before|later|earlier)\\b|\\bday (?:after|before)\\b`),
  clock: /\b\d{1,2}(?::\d\d)? ?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\bo'?clock\b|\b(?:morning|afternoon|evening|night|midday|noon|midnight|dawn|dusk|rush hour)\b/,
  duration: new RegExp(`\\b(?:${NUMBER_WORD}|a|an|few|several|some) ${UNIT}\\b|\\buntil\\b|\\bfor (?:a|the) ${UNIT}\\b`),
  // Place nouns; proper names of places are found on the unfolded text (see answerKindsIn).
  place: /\b(?:bridges?|parliament|palace|streets?|roads?|squares?|stations?|city|cities|towns?|country|countries|areas?|grounds|pavement|fence|home|house|flat|address|prison|jail|hospital|abroad|scene|buildings?)\b/,
};

/** The kinds of answer a text contains (a fact's summary, a paragraph and its keywords). */
export function answerKindsIn(text: string): Set<AnswerKind> {
  const folded = foldForMatching(text);
  // "30-year-old" is an age, and a count, but not a time: "year" must not answer "when".
  const withoutAges = folded.replace(new RegExp(ANSWER_PATTERNS.age.source, 'g'), ' ');
  const kinds = new Set<AnswerKind>();
  for (const [kind, pattern] of Object.entries(ANSWER_PATTERNS) as Array<[AnswerKind, RegExp]>) {
    if (pattern.test(kind === 'age' || kind === 'count' ? folded : withoutAges)) kinds.add(kind);
  }
  // "in Birmingham", "at Westminster": a capitalised word after a preposition of place.
  if (/\b(?:in|at|near|outside|inside|from|into|across|around) (?:the )?\p{Lu}\p{Ll}+/u.test(normalizeText(text))) kinds.add('place');
  return kinds;
}
