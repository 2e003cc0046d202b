/**
 * The kind of answer a question's form asks for, and whether a sentence holds one: "when" wants
 * a date, "how many" a number, "who" a name. General English forms, checked on the raw text.
 */
export type AnswerKind = 'date' | 'number' | 'name';

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const DAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const DATE = new RegExp(
  `\\b(?:\\d{3,4}s?|${MONTHS}|${DAYS}|centur(?:y|ies)|decades?|years? ago|today|yesterday|tomorrow|tonight|morning|afternoon|evening|night|week|weekend|\\d{1,2}(?::\\d{2})?\\s?(?:am|pm)|bc|ad)\\b`,
  'i',
);
const NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?|several|few)\b/i;
/** A capitalised word that does not open the sentence. */
const NAME = /(?<=[\p{L}\p{N},;:)] )\p{Lu}\p{Ll}/u;

export function expectedAnswerKind(foldedQuestion: string): AnswerKind | undefined {
  const opening = foldedQuestion.replace(/^[^a-z]+/, '');
  if (/^(?:when|what (?:year|time|day|date|month|century|decade)|since when|how long ago)\b/.test(opening)) return 'date';
  if (/^(?:how (?:many|much|old|long|far|big|large|tall|high)|what (?:percentage|number|amount|proportion))\b/.test(opening))
    return 'number';
  if (/^(?:who|whom|whose)\b/.test(opening)) return 'name';
  return undefined;
}

export function answerKindsIn(sentence: string): ReadonlySet<AnswerKind> {
  const kinds = new Set<AnswerKind>();
  if (DATE.test(sentence)) kinds.add('date');
  if (NUMBER.test(sentence)) kinds.add('number');
  if (NAME.test(sentence)) kinds.add('name');
  return kinds;
}
