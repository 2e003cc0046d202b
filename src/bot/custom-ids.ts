import { LIMITS } from './reply.ts';

/**
 * Buttons carry everything their handler needs in the custom id (at most 100 characters), so a
 * click can be answered by any process, after a restart, over the gateway or HTTP alike.
 *   para:<report>:<paragraph>          the full paragraph
 *   more:<report>=<p>.<p>;<report>=<p> the other passages of an answer
 *   ask:<question>                     a suggested question
 *   pin:<document key>                 pin this answer (the question is read from the message)
 *   vote:up:<document key>             👍 / 👎 on this answer (one vote per member, a second click removes it)
 *   why:<document key>                 the 👎 modal: what was wrong
 *   thread:<document key>              start a thread from this answer, with its context
 */
export interface ParagraphRef {
  report: string;
  paragraph: number;
}

export const BUTTON_PREFIX = {
  fullParagraph: 'para',
  otherPassages: 'more',
  ask: 'ask',
  pin: 'pin',
  vote: 'vote',
  voteReason: 'why',
  thread: 'thread',
} as const;

export function fullParagraphId(ref: ParagraphRef): string {
  return `${BUTTON_PREFIX.fullParagraph}:${ref.report}:${ref.paragraph}`;
}

export function parseParagraphRef(argument: string): ParagraphRef | undefined {
  const match = /^([a-z0-9-]+):(\d+)$/.exec(argument);
  return match?.[1] && match[2] ? { report: match[1], paragraph: Number(match[2]) } : undefined;
}

/** Encodes as many refs as fit in one custom id, in order. */
export function otherPassagesId(refs: ParagraphRef[]): string {
  let id = `${BUTTON_PREFIX.otherPassages}:`;
  const groups = new Map<string, number[]>();
  for (const ref of refs) {
    const paragraphs = groups.get(ref.report) ?? [];
    paragraphs.push(ref.paragraph);
    groups.set(ref.report, paragraphs);
    const encoded = `${BUTTON_PREFIX.otherPassages}:${[...groups].map(([report, numbers]) => `${report}=${numbers.join('.')}`).join(';')}`;
    if (encoded.length > LIMITS.customId) break;
    id = encoded;
  }
  return id;
}

export function parseOtherPassages(argument: string): ParagraphRef[] {
  return argument.split(';').flatMap((group) => {
    const [report, numbers] = group.split('=');
    if (!report || !numbers) return [];
    return numbers
      .split('.')
      .map(Number)
      .filter((paragraph) => Number.isInteger(paragraph) && paragraph > 0)
      .map((paragraph) => ({ report, paragraph }));
  });
}

export function askId(question: string): string {
  return `${BUTTON_PREFIX.ask}:${question}`.slice(0, LIMITS.customId);
}

export function pinId(documentKey: string): string {
  return `${BUTTON_PREFIX.pin}:${documentKey}`.slice(0, LIMITS.customId);
}

export function voteId(vote: 'up' | 'down', documentKey: string): string {
  return `${BUTTON_PREFIX.vote}:${vote}:${documentKey}`.slice(0, LIMITS.customId);
}

export function parseVoteId(argument: string): { vote: 'up' | 'down'; answerKey: string } | undefined {
  const match = /^(up|down):(.+)$/.exec(argument);
  return match?.[1] && match[2] ? { vote: match[1] as 'up' | 'down', answerKey: match[2] } : undefined;
}

export function voteReasonId(documentKey: string): string {
  return `${BUTTON_PREFIX.voteReason}:${documentKey}`.slice(0, LIMITS.customId);
}

export function threadId(documentKey: string): string {
  return `${BUTTON_PREFIX.thread}:${documentKey}`.slice(0, LIMITS.customId);
}

/** Splits "prefix:argument" at the first colon. */
export function splitCustomId(customId: string): { prefix: string; argument: string } {
  const colon = customId.indexOf(':');
  return colon < 0 ? { prefix: customId, argument: '' } : { prefix: customId.slice(0, colon), argument: customId.slice(colon + 1) };
}
