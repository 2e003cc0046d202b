import { datePhrasesIn, sentencesOf } from './nlp.ts';

/** A date or time the report gives, with the sentence it dates, in the report's order. */
export interface FoundEvent {
  paragraph: number;
  /** As written, without a leading "on"/"at": "Monday afternoon", "last Thursday", "2003". */
  when: string;
  /** The sentence that holds it, verbatim. */
  what: string;
}

/** Clock times compromise may miss ("7.30am", "11.40pm"). */
const CLOCK_TIME = /\b(?:(?:shortly |just )?(?:before|after) |at (?:about |around )?|by )?\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b/gi;

export function findTimeline(paragraphs: readonly string[]): FoundEvent[] {
  const events: FoundEvent[] = [];
  paragraphs.forEach((paragraph, index) => {
    for (const sentence of sentencesOf(paragraph)) {
      const phrases = [...datePhrasesIn(sentence.text), ...(sentence.text.match(CLOCK_TIME) ?? [])].map(cleanWhen).filter(Boolean);
      const seen = new Set<string>();
      for (const when of phrases) {
        const key = when.toLowerCase();
        // "Monday" inside "Monday afternoon" is the same moment.
        if ([...seen].some((other) => other.includes(key) || key.includes(other))) continue;
        seen.add(key);
        events.push({ paragraph: index + 1, when, what: sentence.text });
      }
    }
  });
  return events;
}

function cleanWhen(phrase: string): string {
  return phrase
    .trim()
    .replace(/^(?:on|at|in|by)\s+/i, '')
    .replace(/[,.;:]+$/, '')
    .trim();
}
