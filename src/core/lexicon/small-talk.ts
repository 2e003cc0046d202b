import { foldForMatching } from '../text.ts';
import { CHAT_WORDS } from './chat-words.ts';

/**
 * Greetings and thanks are not questions: they get a short reply, are never searched, and never
 * count as unanswered. General English chat only.
 */
export type SmallTalk = 'greeting' | 'thanks';

const GREETINGS = new Set('hi hello hey hiya howdy yo sup morning afternoon evening good gm greetings hallo'.split(' '));
const THANKS = new Set(
  'thanks thank thankyou cheers appreciated appreciate great cool nice ok okay awesome perfect brilliant lovely got it'.split(' '),
);
/** Words that may come with either without making it a question. */
const FILLER = new Set('you so much very a lot all there everyone guys bot report lol haha :) ! ? , .'.split(' '));

export function smallTalk(text: string): SmallTalk | undefined {
  const words = foldForMatching(text)
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => (CHAT_WORDS[word] ?? word).split(' '));
  if (words.length === 0 || words.length > 6) return undefined;
  const content = words.filter((word) => !FILLER.has(word));
  if (content.length === 0) return undefined;
  if (content.every((word) => THANKS.has(word))) return 'thanks';
  if (content.every((word) => GREETINGS.has(word))) return 'greeting';
  return undefined;
}
