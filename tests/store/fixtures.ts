/** Values shared by tests/store.test.ts and the child processes it spawns. */
import type { PinnedAnswer } from '../../src/store/types.ts';

export const SHARED_PIN: PinnedAnswer = {
  guildId: 'guild-1',
  channelId: 'channel-1',
  messageId: 'message-shared',
  question: 'Who raised the alarm?',
  answerKey: 'westminster-attack/p7',
  pinnedBy: 'moderator-1',
  pinnedAt: '2024-03-01T10:00:00.000Z',
};

/** Every concurrent worker asks this one; each also asks `workerQuestion(index)`. */
export const SHARED_QUESTION = 'what time did it start';
export const workerQuestion = (workerIndex: number): string => `question of worker ${workerIndex}`;

export const CRASH_PIN: PinnedAnswer = { ...SHARED_PIN, messageId: 'message-before-crash' };
export const CRASH_QUESTION = 'asked right before the crash';
