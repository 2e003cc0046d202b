import { withoutQuotes } from './quotes.ts';
import { reportingVerbsIn, speakerOf, type NamedEntity, type Speaker } from './speech.ts';
import { sentencesOf } from './nlp.ts';

/**
 * Who the narration of a paragraph (its words outside quotes) says stands behind it: a person
 * reported as saying it, and/or an authority. The paragraph's quotes, found apart, come first.
 */
export interface FoundAttribution {
  speaker?: Speaker;
  /** "according to officers", "the Gazette reported", "doubted by experts". */
  authority?: string;
}

const ACCORDING_TO = /\b[Aa]ccording to ([^,.;:“”"]{2,90})/g;
const PASSIVE_BY =
  /\b((?:doubted|disputed|denied|confirmed|reported|questioned|believed|claimed|revealed|stated)\s+by\s+(?:the\s+)?[\p{L}’'-]+(?:\s+[\p{L}’'-]+){0,3}?)(?=[,.;:]|\s+(?:and|but|who|which|as|in|on)\b|$)/gu;

export function findAttribution(text: string, entities: readonly NamedEntity[]): FoundAttribution {
  const paragraph = withoutQuotes(text).replace(/ {2,}/g, ' ');
  const authorities: string[] = [];
  for (const match of paragraph.matchAll(ACCORDING_TO)) authorities.push(`according to ${(match[1] ?? '').trim()}`);
  for (const match of paragraph.matchAll(PASSIVE_BY)) authorities.push((match[1] ?? '').trim());

  let reported: Speaker | undefined;
  for (const sentence of sentencesOf(paragraph)) {
    for (const verb of reportingVerbsIn(sentence.text)) {
      const speaker = speakerOf(sentence.text, verb, entities);
      if (!speaker || speaker.kind === 'pronoun') continue;
      // An organisation or a description reporting is an authority; a person is a speaker.
      if (speaker.kind === 'entity' && speaker.entity.kind === 'person') reported ??= speaker;
      else authorities.push(`${speaker.kind === 'entity' ? speakerPhrase(sentence.text, speaker.entity) : speaker.text} ${verb.word}`);
      break;
    }
  }
  return {
    ...(reported && { speaker: reported }),
    ...(authorities.length > 0 && { authority: [...new Set(authorities)].join('; ') }),
  };
}

/** The name as the sentence writes it, with its article ("the Gazette"). */
function speakerPhrase(sentence: string, entity: NamedEntity): string {
  for (const name of entity.names) {
    const withArticle = new RegExp(`\\b(the\\s+)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i').exec(sentence);
    if (withArticle) return withArticle[0].replace(/^The /, 'the ');
  }
  return entity.names[0] ?? '';
}
