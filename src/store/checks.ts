import { VOTE_REASONS, type AnswerVote, type VoteReason } from './types.ts';

/**
 * The argument checks both stores make before they touch the database, so a caller's mistake is
 * the same RangeError whichever store is behind the interface.
 */

/** At most this many comments per answer in /insights. */
export const COMMENTS_PER_ANSWER = 5;

export function checkLimit(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

export function checkReason(reason: VoteReason): void {
  if (!VOTE_REASONS.includes(reason)) throw new RangeError(`unknown vote reason "${String(reason)}"`);
}

export function checkVote(vote: Pick<AnswerVote, 'vote' | 'reason'>): void {
  if (vote.vote !== 'up' && vote.vote !== 'down') throw new RangeError(`unknown vote "${String(vote.vote)}"`);
  if (vote.reason !== undefined) checkReason(vote.reason);
}
