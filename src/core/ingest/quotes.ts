import { reportingVerbsIn, speakerOf, type NamedEntity, type Speaker } from './speech.ts';

/** Words in quote marks and who the report says spoke them. */
export interface FoundQuote {
  paragraph: number;
  /** Where the quote opens in its paragraph. */
  start: number;
  /** Verbatim, without the quote marks. */
  text: string;
  speaker: Speaker;
  /** "In a statement released on Monday afternoon", "told reporters outside court"; "" when not given. */
  occasion: string;
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** Curly or straight double quotes; an unclosed quote runs to the end of the paragraph (a quote continued). */
function quoteSpans(paragraph: string): Span[] {
  const spans: Span[] = [];
  for (const match of paragraph.matchAll(/“([^”]*)(?:”|$)|"([^"]*)"/g)) {
    const text = (match[1] ?? match[2] ?? '').trim();
    if (text) spans.push({ start: match.index, end: match.index + match[0].length, text });
  }
  return spans;
}

/** The paragraph with quoted words blanked out (same length), so only the narration is read for speakers. */
export function withoutQuotes(paragraph: string): string {
  return narration(paragraph, quoteSpans(paragraph));
}

function narration(paragraph: string, spans: readonly Span[]): string {
  let text = paragraph;
  for (const span of spans) text = text.slice(0, span.start) + ' '.repeat(span.end - span.start) + text.slice(span.end);
  return text;
}

/** The sentence around a quote, in narration: from the last full stop before it to the first after it. */
function frameOf(narrated: string, span: Span): { start: number; end: number } {
  const before = narrated.slice(0, span.start);
  const stop = Math.max(before.lastIndexOf('. '), before.lastIndexOf('? '), before.lastIndexOf('! '));
  const after = narrated.slice(span.end).search(/[.!?](?:\s|$)/);
  return { start: stop === -1 ? 0 : stop + 2, end: after === -1 ? narrated.length : span.end + after + 1 };
}

/** Finds the quotes of each paragraph with their speaker; a quote nobody is said to speak is a scare quote and skipped. */
export function findQuotes(paragraphs: readonly string[], entities: readonly NamedEntity[]): FoundQuote[] {
  const quotes: FoundQuote[] = [];
  paragraphs.forEach((paragraph, index) => {
    const spans = quoteSpans(paragraph);
    const narrated = narration(paragraph, spans);
    let previous: { speaker: Speaker; occasion: string } | undefined;
    for (const span of spans) {
      const frame = frameOf(narrated, span);
      const frameText = narrated.slice(0, frame.end);
      const verbs = reportingVerbsIn(narrated.slice(frame.start, frame.end)).map((verb) => ({ ...verb, index: verb.index + frame.start }));
      // The verb nearest the quote: "X said: “...”" or "“...,” X said".
      const verb = [...verbs].sort((a, b) => distance(a.index, span) - distance(b.index, span))[0];
      const speaker = verb ? speakerOf(frameText, verb, entities, frame.start) : undefined;
      const found = speaker
        ? { speaker, occasion: occasionOf(narrated.slice(frame.start, frame.end), verb?.word ?? '') }
        : continuesQuote(paragraph, span, previous);
      if (!found) continue;
      previous = found;
      quotes.push({ paragraph: index + 1, start: span.start, text: span.text.replace(/^[\s,]+|[\s,]+$/g, ''), ...found });
    }
  });
  return quotes;
}

function distance(index: number, span: Span): number {
  return index < span.start ? span.start - index : Math.max(0, index - span.end);
}

/** A second quote in the same paragraph with no verb of its own ("“...,” she said. “...”") is the same speaker's. */
function continuesQuote(
  paragraph: string,
  span: Span,
  previous: { speaker: Speaker; occasion: string } | undefined,
): { speaker: Speaker; occasion: string } | undefined {
  if (!previous) return undefined;
  return span.start > 0 && /[.!?,:]\s*$/.test(paragraph.slice(0, span.start)) ? previous : undefined;
}

/** The occasion a sentence gives its words: an opening clause ("In a statement released on Monday afternoon,") or what follows the verb ("told reporters outside court"). */
export function occasionOf(sentence: string, verb: string): string {
  const opening = /^\s*((?:In|At|On|During|Speaking|Writing|Asked|Interviewed|Responding|Addressing)\b[^,“”"]{3,90}),/.exec(sentence);
  if (opening?.[1]) return opening[1].trim();
  if (!verb) return '';
  const at = sentence.indexOf(verb);
  const after = sentence.slice(at + verb.length);
  const told = /^\s+((?:the\s+)?[\p{L}’'-]+(?:\s+(?:outside|at|in|on)\s+[\p{L}’'\s-]{2,40}?)?)(?=[,.:;]|\s*$)/u.exec(after);
  if (/^(?:told|tells)$/.test(verb) && told?.[1]) return `${verb} ${told[1].trim()}`;
  const phrase = /^\s+((?:in|on|at|during)\s+(?:a|an|the)\s+[^,.:;“”"]{3,60})/.exec(after);
  return phrase?.[1]?.trim() ?? '';
}
