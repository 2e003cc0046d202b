/**
 * The store contract: the same tests for every BotStore (SQLite in tests/store.test.ts, PostgreSQL
 * in tests/store-postgres.test.ts), through real databases and, for concurrency and crashes, real
 * processes (tests/store/store-child.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerVote, BotStore, PinnedAnswer, VotedAnswer } from '../../src/store/types.ts';
import { CRASH_PIN, CRASH_QUESTION, SHARED_PIN, SHARED_QUESTION, workerQuestion } from './fixtures.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD_SCRIPT = path.join(PROJECT_ROOT, 'tests', 'store', 'store-child.ts');

export interface StoreBackend {
  /** Where a new, empty database is: a file path that does not exist yet, or a PostgreSQL URL. */
  newLocation(): Promise<string>;
  open(location: string, options?: { unansweredLimit?: number }): Promise<BotStore>;
  /** Extra checks after a process was killed right after a write. */
  afterCrash?(location: string): Promise<void> | void;
}

export function makePin(overrides: Partial<PinnedAnswer> = {}): PinnedAnswer {
  return {
    guildId: 'guild-1',
    channelId: 'channel-1',
    messageId: 'message-1',
    question: 'Where did it happen?',
    answerKey: 'westminster-attack/p1',
    pinnedBy: 'moderator-1',
    pinnedAt: '2024-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeVote(overrides: Partial<AnswerVote> = {}): AnswerVote {
  return {
    guildId: 'guild-1',
    channelId: 'channel-1',
    messageId: 'message-1',
    userId: 'member-1',
    vote: 'up',
    question: 'Where did it happen?',
    answerKey: 'westminster-attack/p1',
    reportId: 'westminster-attack',
    votedAt: '2024-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A minute of 2024-03-01 (UTC) as an ISO string; later minutes roll into the next days. */
const minute = (n: number): string => new Date(Date.UTC(2024, 2, 1, 0, n)).toISOString();

export function storeContract(backend: StoreBackend): void {
  const openStores: BotStore[] = [];
  const tracked = async (opening: Promise<BotStore>): Promise<BotStore> => {
    const store = await opening;
    openStores.push(store);
    return store;
  };
  const fresh = async (options?: { unansweredLimit?: number }) => tracked(backend.open(await backend.newLocation(), options));

  afterEach(async () => {
    await Promise.all(openStores.splice(0).map((store) => store.close()));
  });

  describe('pins', () => {
    it('recordPin is idempotent: created true, then false', async () => {
      const store = await fresh();
      expect(await store.recordPin(makePin())).toEqual({ created: true });
      expect(await store.recordPin(makePin({ answerKey: 'something-else' }))).toEqual({ created: false });
      // The first pin wins; the duplicate did not overwrite it.
      expect((await store.getPin('guild-1', 'message-1'))?.answerKey).toBe('westminster-attack/p1');
      expect(await store.listPins('guild-1')).toHaveLength(1);
    });

    it('removePin reports whether something was removed', async () => {
      const store = await fresh();
      await store.recordPin(makePin());
      expect(await store.removePin('guild-1', 'message-1')).toBe(true);
      expect(await store.removePin('guild-1', 'message-1')).toBe(false);
      expect(await store.getPin('guild-1', 'message-1')).toBeUndefined();
    });

    it('lists pins newest first; same timestamp: latest recorded first', async () => {
      const store = await fresh();
      await store.recordPin(makePin({ messageId: 'old', pinnedAt: '2024-01-01T00:00:00.000Z' }));
      await store.recordPin(makePin({ messageId: 'new', pinnedAt: '2024-06-01T00:00:00.000Z' }));
      await store.recordPin(makePin({ messageId: 'middle-a', pinnedAt: '2024-03-01T00:00:00.000Z' }));
      await store.recordPin(makePin({ messageId: 'middle-b', pinnedAt: '2024-03-01T00:00:00.000Z' }));
      const ids = (await store.listPins('guild-1')).map((pin) => pin.messageId);
      expect(ids).toEqual(['new', 'middle-b', 'middle-a', 'old']);
    });
  });

  describe('the unanswered log is capped per server', () => {
    it('keeps the most recently asked questions up to the limit; other servers keep their own', async () => {
      const store = await fresh({ unansweredLimit: 3 });
      for (let minute = 0; minute < 5; minute++)
        await store.recordUnanswered('guild-1', `question ${minute}`, new Date(Date.UTC(2026, 11, 2, 10, minute)));
      await store.recordUnanswered('guild-1', 'question 1', new Date(Date.UTC(2026, 11, 2, 11, 0)));
      await store.recordUnanswered('guild-2', 'other', new Date(Date.UTC(2026, 11, 2, 9, 0)));
      expect((await store.listUnanswered('guild-1', 10)).map((entry) => entry.question).sort()).toEqual([
        'question 1',
        'question 3',
        'question 4',
      ]);
      expect((await store.listUnanswered('guild-2', 10)).map((entry) => entry.question)).toEqual(['other']);
    });
  });

  describe('default reports', () => {
    it('a channel’s own choice comes with the server’s; clearing one leaves the other; they survive a reopen', async () => {
      const location = await backend.newLocation();
      const store = await backend.open(location);
      const at = new Date('2026-12-02T10:00:00Z');
      expect(await store.getDefaultReports('guild-1', 'channel-1')).toEqual({});
      await store.setDefaultReport('guild-1', null, 'westminster-attack', 'mod', at);
      await store.setDefaultReport('guild-1', 'channel-1', 'harbour-bridge-protest', 'mod', at);
      await store.setDefaultReport('guild-1', 'channel-1', 'chemical-plant-leak', 'mod', at);
      expect(await store.getDefaultReports('guild-1', 'channel-1')).toEqual({
        channel: 'chemical-plant-leak',
        server: 'westminster-attack',
      });
      expect(await store.getDefaultReports('guild-1', 'channel-2')).toEqual({ server: 'westminster-attack' });
      expect(await store.getDefaultReports('guild-1', null)).toEqual({ server: 'westminster-attack' });
      expect(await store.getDefaultReports('guild-2', 'channel-1')).toEqual({});
      await store.close();
      const reopened = await tracked(backend.open(location));
      expect(await reopened.getDefaultReports('guild-1', 'channel-1')).toEqual({
        channel: 'chemical-plant-leak',
        server: 'westminster-attack',
      });
      await reopened.setDefaultReport('guild-1', null, null, 'mod', at);
      expect(await reopened.getDefaultReports('guild-1', 'channel-1')).toEqual({ channel: 'chemical-plant-leak' });
    });
  });

  describe('unanswered questions', () => {
    it('counts asks, keeps first/last times and orders by count, then recency', async () => {
      const store = await fresh();
      const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 12, minute));
      await store.recordUnanswered('guild-1', 'rare', at(1));
      await store.recordUnanswered('guild-1', 'popular', at(2));
      await store.recordUnanswered('guild-1', 'popular', at(5));
      await store.recordUnanswered('guild-1', 'popular', at(9));
      await store.recordUnanswered('guild-1', 'rare but recent', at(30));

      expect(await store.listUnanswered('guild-1', 10)).toEqual([
        { question: 'popular', count: 3, firstAsked: at(2).toISOString(), lastAsked: at(9).toISOString() },
        { question: 'rare but recent', count: 1, firstAsked: at(30).toISOString(), lastAsked: at(30).toISOString() },
        { question: 'rare', count: 1, firstAsked: at(1).toISOString(), lastAsked: at(1).toISOString() },
      ]);
      expect((await store.listUnanswered('guild-1', 1)).map((q) => q.question)).toEqual(['popular']);
      expect(await store.listUnanswered('guild-1', 0)).toEqual([]);
      await expect(store.listUnanswered('guild-1', -1)).rejects.toThrow(RangeError);
    });

    it('an ask recorded out of order does not move lastAsked backwards', async () => {
      const store = await fresh();
      await store.recordUnanswered('guild-1', 'q', new Date('2024-03-01T12:10:00.000Z'));
      await store.recordUnanswered('guild-1', 'q', new Date('2024-03-01T12:05:00.000Z'));
      expect(await store.listUnanswered('guild-1', 1)).toEqual([
        { question: 'q', count: 2, firstAsked: '2024-03-01T12:05:00.000Z', lastAsked: '2024-03-01T12:10:00.000Z' },
      ]);
    });
  });

  describe('votes on answers', () => {
    it('the same member voting twice leaves one vote; changing it moves the tally', async () => {
      const store = await fresh();
      expect(await store.tallyVotes('guild-1', 'message-1')).toEqual({ up: 0, down: 0 });
      expect(await store.recordVote(makeVote({ vote: 'up', votedAt: minute(1) }))).toEqual({ up: 1, down: 0 });
      expect(await store.recordVote(makeVote({ vote: 'up', votedAt: minute(2) }))).toEqual({ up: 1, down: 0 });
      expect(await store.recordVote(makeVote({ vote: 'down', votedAt: minute(3) }))).toEqual({ up: 0, down: 1 });
      expect(await store.tallyVotes('guild-1', 'message-1')).toEqual({ up: 0, down: 1 });
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote({ vote: 'down', votedAt: minute(3) }));
    });

    it('counts several members, per message and per server', async () => {
      const store = await fresh();
      await store.recordVote(makeVote({ userId: 'member-1', vote: 'up' }));
      expect(await store.recordVote(makeVote({ userId: 'member-2', vote: 'down' }))).toEqual({ up: 1, down: 1 });
      expect(await store.recordVote(makeVote({ userId: 'member-3', vote: 'up' }))).toEqual({ up: 2, down: 1 });
      expect(await store.recordVote(makeVote({ messageId: 'message-2', userId: 'member-1', vote: 'down' }))).toEqual({ up: 0, down: 1 });
      expect(await store.recordVote(makeVote({ guildId: 'guild-2', userId: 'member-1', vote: 'down' }))).toEqual({ up: 0, down: 1 });
      expect(await store.tallyVotes('guild-1', 'message-1')).toEqual({ up: 2, down: 1 });
      expect(await store.tallyVotes('guild-1', 'message-2')).toEqual({ up: 0, down: 1 });
      expect(await store.tallyVotes('guild-2', 'message-1')).toEqual({ up: 0, down: 1 });
      expect(await store.getVote('guild-1', 'message-1', 'member-2')).toMatchObject({ vote: 'down' });
      expect(await store.getVote('guild-1', 'message-1', 'member-9')).toBeUndefined();
    });

    it('explainVote explains a 👎 only; a changed vote loses the reason, the same vote again keeps it', async () => {
      const store = await fresh();
      expect(await store.explainVote('guild-1', 'message-1', 'member-1', 'other', 'no vote yet')).toBe(false);
      await store.recordVote(makeVote({ vote: 'up' }));
      expect(await store.explainVote('guild-1', 'message-1', 'member-1', 'other', 'a 👍 has no reason')).toBe(false);
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote({ vote: 'up' }));

      await store.recordVote(makeVote({ vote: 'down' }));
      expect(await store.explainVote('guild-1', 'message-1', 'member-1', 'wrong-passage', 'p8 says it')).toBe(true);
      expect(await store.explainVote('guild-1', 'message-1', 'member-2', 'wrong-passage', 'not this member')).toBe(false);
      const explained = makeVote({ vote: 'down', reason: 'wrong-passage', comment: 'p8 says it' });
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(explained);

      // The same 👎 recorded again (another replica, a repeated click): the explanation stays.
      expect(await store.recordVote(makeVote({ vote: 'down' }))).toEqual({ up: 0, down: 1 });
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(explained);

      // Changed to 👍 and back to 👎: the old explanation is gone.
      await store.recordVote(makeVote({ vote: 'up', votedAt: minute(5) }));
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote({ vote: 'up', votedAt: minute(5) }));
      await store.recordVote(makeVote({ vote: 'down', votedAt: minute(6) }));
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote({ vote: 'down', votedAt: minute(6) }));

      // A reason without a comment; a 👍 never keeps one.
      expect(await store.explainVote('guild-1', 'message-1', 'member-1', 'not-in-report', null)).toBe(true);
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(
        makeVote({ vote: 'down', votedAt: minute(6), reason: 'not-in-report' }),
      );
      await store.recordVote(makeVote({ userId: 'member-2', vote: 'up', reason: 'other', comment: 'ignored' }));
      expect(await store.getVote('guild-1', 'message-1', 'member-2')).toEqual(makeVote({ userId: 'member-2', vote: 'up' }));
    });

    it('removeVote takes the member’s vote back and returns the tally', async () => {
      const store = await fresh();
      await store.recordVote(makeVote({ userId: 'member-1', vote: 'up' }));
      await store.recordVote(makeVote({ userId: 'member-2', vote: 'down' }));
      expect(await store.removeVote('guild-1', 'message-1', 'member-1')).toEqual({ up: 0, down: 1 });
      expect(await store.getVote('guild-1', 'message-1', 'member-1')).toBeUndefined();
      expect(await store.removeVote('guild-1', 'message-1', 'member-1')).toEqual({ up: 0, down: 1 });
      expect(await store.removeVote('guild-1', 'message-1', 'member-2')).toEqual({ up: 0, down: 0 });
      expect(await store.removeVote('guild-1', 'never-voted', 'member-2')).toEqual({ up: 0, down: 0 });
      // Voting again after a removal starts afresh.
      expect(await store.recordVote(makeVote({ userId: 'member-1', vote: 'down' }))).toEqual({ up: 0, down: 1 });
    });

    it('listUpvotedAnswers: more 👍 than 👎 only, most net 👍 first, then the most recently voted', async () => {
      const store = await fresh();
      const vote = (messageId: string, userId: string, value: 'up' | 'down', at: number, extra: Partial<AnswerVote> = {}) =>
        store.recordVote(makeVote({ messageId, userId, vote: value, votedAt: minute(at), answerKey: `key/${messageId}`, ...extra }));
      for (const [index, user] of ['a', 'b', 'c'].entries()) await vote('net-two', user, 'up', 10 + index);
      await vote('net-two', 'd', 'down', 14);
      await store.explainVote('guild-1', 'net-two', 'd', 'other', 'too long');
      await vote('net-one-older', 'a', 'up', 20, { channelId: 'channel-2', question: 'Who?', reportId: 'harbour-bridge-protest' });
      await vote('net-one-newer', 'a', 'up', 30);
      await vote('even', 'a', 'up', 40);
      await vote('even', 'b', 'down', 41);
      await vote('down-only', 'a', 'down', 50);
      await store.recordVote(makeVote({ guildId: 'guild-2', messageId: 'other-server', vote: 'up' }));

      const answers = await store.listUpvotedAnswers('guild-1', 10);
      expect(answers.map((answer) => answer.messageId)).toEqual(['net-two', 'net-one-newer', 'net-one-older']);
      expect(answers[0]).toEqual<VotedAnswer>({
        guildId: 'guild-1',
        channelId: 'channel-1',
        messageId: 'net-two',
        question: 'Where did it happen?',
        answerKey: 'key/net-two',
        reportId: 'westminster-attack',
        up: 3,
        down: 1,
        lastVotedAt: minute(14),
        reasons: { 'wrong-passage': 0, 'not-in-report': 0, other: 1 },
        comments: ['too long'],
      });
      expect(answers[2]).toMatchObject({ channelId: 'channel-2', question: 'Who?', reportId: 'harbour-bridge-protest', up: 1, down: 0 });
      expect((await store.listUpvotedAnswers('guild-1', 2)).map((answer) => answer.messageId)).toEqual(['net-two', 'net-one-newer']);
      expect(await store.listUpvotedAnswers('guild-1', 0)).toEqual([]);
      expect((await store.listUpvotedAnswers('guild-2', 10)).map((answer) => answer.messageId)).toEqual(['other-server']);
      await expect(store.listUpvotedAnswers('guild-1', -1)).rejects.toThrow(RangeError);
      // A removed vote no longer counts.
      await store.removeVote('guild-1', 'net-one-newer', 'a');
      expect((await store.listUpvotedAnswers('guild-1', 10)).map((answer) => answer.messageId)).toEqual(['net-two', 'net-one-older']);
    });
  });

  describe('insights', () => {
    const day1 = (hour: number) => new Date(Date.UTC(2024, 2, 1, hour));
    const day2 = (hour: number) => new Date(Date.UTC(2024, 2, 2, hour));
    const options = { limit: 10, flagAfterDownVotes: 2 };

    it('counts asks per day: `since` takes whole UTC days, sums across days, and lists the declined', async () => {
      const store = await fresh();
      await store.recordAsked('guild-1', 'who was arrested', true, day1(9));
      await store.recordAsked('guild-1', 'who was arrested', false, day1(10));
      await store.recordAsked('guild-1', 'who was arrested', false, day2(8));
      await store.recordAsked('guild-1', 'where did it happen', true, day2(9));
      await store.recordAsked('guild-1', 'where did it happen', true, day2(10));
      await store.recordAsked('guild-1', 'what was the weather', true, day1(23));
      await store.recordAsked('guild-1', 'how many were hurt', false, day1(8));
      await store.recordAsked('guild-2', 'who was arrested', false, day2(8));

      const all = await store.insights('guild-1', day1(12), options);
      expect(all.mostAsked).toEqual([
        { question: 'who was arrested', count: 3, declined: 2 },
        // Ties: the most recently asked first.
        { question: 'where did it happen', count: 2, declined: 0 },
        { question: 'what was the weather', count: 1, declined: 0 },
        { question: 'how many were hurt', count: 1, declined: 1 },
      ]);
      expect(all.declined).toEqual([
        { question: 'who was arrested', count: 3, declined: 2 },
        { question: 'how many were hurt', count: 1, declined: 1 },
      ]);
      expect(all.unhelpful).toEqual([]);
      expect(all.pins).toEqual([]);
      expect(all.flaggedPins).toEqual([]);

      // From the afternoon of day 2: all of day 2 counts, nothing of day 1.
      const second = await store.insights('guild-1', day2(15), options);
      expect(second.mostAsked).toEqual([
        { question: 'where did it happen', count: 2, declined: 0 },
        { question: 'who was arrested', count: 1, declined: 1 },
      ]);
      expect(second.declined).toEqual([{ question: 'who was arrested', count: 1, declined: 1 }]);
      expect((await store.insights('guild-1', new Date(Date.UTC(2024, 2, 3)), options)).mostAsked).toEqual([]);
      expect((await store.insights('guild-2', day1(0), options)).declined).toEqual([
        { question: 'who was arrested', count: 1, declined: 1 },
      ]);
      expect((await store.insights('guild-1', day1(0), { ...options, limit: 1 })).mostAsked).toHaveLength(1);
      await expect(store.insights('guild-1', day1(0), { ...options, limit: -1 })).rejects.toThrow(RangeError);
    });

    it('lists the answers given a 👎 in the period, the pins of the period and the pins voted down', async () => {
      const store = await fresh();
      const since = day2(0);
      const at = (date: Date, minutes = 0) => new Date(date.getTime() + minutes * 60_000).toISOString();
      const vote = (messageId: string, userId: string, value: 'up' | 'down', when: string) =>
        store.recordVote(makeVote({ messageId, userId, vote: value, votedAt: when }));

      // Seven explained 👎 and one with an empty comment: the five newest non-empty comments come back.
      for (let index = 1; index <= 7; index++) {
        await vote('much-disliked', `member-${index}`, 'down', at(day2(9), index));
        await store.explainVote(
          'guild-1',
          'much-disliked',
          `member-${index}`,
          index % 2 ? 'wrong-passage' : 'not-in-report',
          `comment ${index}`,
        );
      }
      await vote('much-disliked', 'member-8', 'down', at(day2(9), 8));
      await store.explainVote('guild-1', 'much-disliked', 'member-8', 'other', '  ');
      await vote('much-disliked', 'member-9', 'up', at(day2(9), 9));
      // A 👎 before the period and one in it: the whole tally counts.
      await vote('disliked-once', 'member-1', 'down', at(day1(9)));
      await vote('disliked-once', 'member-2', 'down', at(day2(10)));
      await vote('disliked-once', 'member-3', 'up', at(day1(10)));
      // Only old 👎 (a new 👍 does not bring it into the period); only 👍.
      await vote('disliked-long-ago', 'member-1', 'down', at(day1(9)));
      await vote('disliked-long-ago', 'member-2', 'up', at(day2(11)));
      await vote('liked', 'member-1', 'up', at(day2(11)));

      const insights = await store.insights('guild-1', since, options);
      expect(insights.unhelpful.map((answer) => [answer.messageId, answer.up, answer.down])).toEqual([
        ['much-disliked', 1, 8],
        ['disliked-once', 1, 2],
      ]);
      expect(insights.unhelpful[0]).toMatchObject({
        lastVotedAt: at(day2(9), 9),
        reasons: { 'wrong-passage': 4, 'not-in-report': 3, other: 1 },
        comments: ['comment 7', 'comment 6', 'comment 5', 'comment 4', 'comment 3'],
      });
      expect(insights.unhelpful[1]).toMatchObject({ reasons: { 'wrong-passage': 0, 'not-in-report': 0, other: 0 }, comments: [] });
      expect((await store.insights('guild-1', since, { ...options, limit: 1 })).unhelpful.map((answer) => answer.messageId)).toEqual([
        'much-disliked',
      ]);

      // Pins: 'old-flagged' is old but voted down enough; 'tied' has as many 👍 as 👎; 'once' too few 👎.
      const pin = (messageId: string, pinnedAt: string) => store.recordPin(makePin({ messageId, pinnedAt }));
      await pin('old-flagged', at(day1(8)));
      await pin('disliked-once', at(day2(8)));
      await pin('liked', at(day2(12)));
      await pin('tied', at(day1(7)));
      await pin('unvoted', at(day2(13)));
      await store.recordPin(makePin({ guildId: 'guild-2', messageId: 'old-flagged', pinnedAt: at(day2(1)) }));
      for (const user of ['member-1', 'member-2', 'member-3']) await vote('old-flagged', user, 'down', at(day1(9)));
      await vote('old-flagged', 'member-4', 'up', at(day1(9)));
      for (const user of ['member-1', 'member-2']) await vote('tied', user, 'down', at(day2(9)));
      for (const user of ['member-3', 'member-4']) await vote('tied', user, 'up', at(day2(9)));

      const withPins = await store.insights('guild-1', since, options);
      expect(withPins.pins).toEqual([
        { ...makePin({ messageId: 'unvoted', pinnedAt: at(day2(13)) }), up: 0, down: 0 },
        { ...makePin({ messageId: 'liked', pinnedAt: at(day2(12)) }), up: 1, down: 0 },
        { ...makePin({ messageId: 'disliked-once', pinnedAt: at(day2(8)) }), up: 1, down: 2 },
      ]);
      expect(withPins.flaggedPins).toEqual([
        { ...makePin({ messageId: 'old-flagged', pinnedAt: at(day1(8)) }), up: 1, down: 3 },
        { ...makePin({ messageId: 'disliked-once', pinnedAt: at(day2(8)) }), up: 1, down: 2 },
      ]);
      expect((await store.insights('guild-1', since, { ...options, flagAfterDownVotes: 3 })).flaggedPins.map((p) => p.messageId)).toEqual([
        'old-flagged',
      ]);
      const limited = await store.insights('guild-1', since, { ...options, limit: 1 });
      expect([limited.pins.length, limited.flaggedPins.length]).toEqual([1, 1]);
      expect((await store.insights('guild-2', since, options)).pins.map((p) => [p.messageId, p.up, p.down])).toEqual([
        ['old-flagged', 0, 0],
      ]);
    });
  });

  describe('conversations', () => {
    it('keeps one context per key, returns it only while fresh, and forgets the old ones', async () => {
      const store = await fresh();
      const at = (n: number) => new Date(minute(n));
      expect(await store.loadConversation('channel-1:member-1', at(0))).toBeUndefined();
      await store.saveConversation('channel-1:member-1', '{"report":"a"}', at(10));
      await store.saveConversation('channel-1:member-1', '{"report":"b"}', at(20));
      await store.saveConversation('channel-1:member-2', '{"report":"c"}', at(5));
      await store.saveConversation('channel-2:member-1', '{"report":"d"}', at(30));
      expect(await store.loadConversation('channel-1:member-1', at(15))).toBe('{"report":"b"}');
      expect(await store.loadConversation('channel-1:member-1', at(20))).toBe('{"report":"b"}');
      expect(await store.loadConversation('channel-1:member-1', at(21))).toBeUndefined();
      // A save that arrives late does not replace a newer context.
      await store.saveConversation('channel-1:member-1', '{"report":"late"}', at(12));
      expect(await store.loadConversation('channel-1:member-1', at(0))).toBe('{"report":"b"}');

      expect(await store.forgetConversations(at(20))).toBe(1);
      expect(await store.loadConversation('channel-1:member-2', at(0))).toBeUndefined();
      expect(await store.loadConversation('channel-1:member-1', at(0))).toBe('{"report":"b"}');
      expect(await store.forgetConversations(at(20))).toBe(0);
      expect(await store.forgetConversations(at(31))).toBe(2);
      expect(await store.loadConversation('channel-2:member-1', at(0))).toBeUndefined();
    });
  });

  describe('server settings', () => {
    it('set, overwrite and clear, per server', async () => {
      const store = await fresh();
      const at = new Date('2026-12-02T10:00:00Z');
      expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBeUndefined();
      await store.setGuildSetting('guild-1', 'thread-replies', 'on', 'mod', at);
      await store.setGuildSetting('guild-2', 'thread-replies', 'off', 'mod', at);
      expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBe('on');
      await store.setGuildSetting('guild-1', 'thread-replies', 'off', 'mod-2', at);
      expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBe('off');
      await store.setGuildSetting('guild-1', 'thread-replies', null, 'mod', at);
      expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBeUndefined();
      await store.setGuildSetting('guild-1', 'thread-replies', null, 'mod', at);
      expect(await store.getGuildSetting('guild-2', 'thread-replies')).toBe('off');
    });
  });

  describe('a reopened store', () => {
    it('reads back identical values after close and reopen, per guild', async () => {
      const location = await backend.newLocation();
      const pins = [
        makePin({ messageId: 'm1', pinnedAt: '2024-03-01T10:00:00.000Z' }),
        makePin({
          messageId: 'm2',
          channelId: 'channel-2',
          question: 'Who said "run"?',
          answerKey: 'westminster-attack/p7',
          pinnedBy: 'moderator-2',
          pinnedAt: '2024-03-02T09:30:15.123Z',
        }),
      ];
      const otherGuildPin = makePin({ guildId: 'guild-2', messageId: 'm1', answerKey: 'other/p1' });

      const writer = await backend.open(location);
      for (const pin of [...pins, otherGuildPin]) await writer.recordPin(pin);
      await writer.recordUnanswered('guild-1', 'how many were hurt', new Date('2024-03-01T10:00:00.000Z'));
      await writer.recordUnanswered('guild-1', 'how many were hurt', new Date('2024-03-01T11:00:00.000Z'));
      await writer.recordUnanswered('guild-2', 'how many were hurt', new Date('2024-03-05T08:00:00.000Z'));
      await writer.close();

      const reader = await tracked(backend.open(location));
      expect(await reader.listPins('guild-1')).toEqual([pins[1], pins[0]]);
      expect(await reader.getPin('guild-1', 'm2')).toEqual(pins[1]);
      expect(await reader.listPins('guild-2')).toEqual([otherGuildPin]);
      expect(await reader.getPin('guild-2', 'm2')).toBeUndefined();
      expect(await reader.listPins('guild-3')).toEqual([]);
      expect(await reader.listUnanswered('guild-1', 10)).toEqual([
        {
          question: 'how many were hurt',
          count: 2,
          firstAsked: '2024-03-01T10:00:00.000Z',
          lastAsked: '2024-03-01T11:00:00.000Z',
        },
      ]);
      expect(await reader.listUnanswered('guild-2', 10)).toEqual([
        {
          question: 'how many were hurt',
          count: 1,
          firstAsked: '2024-03-05T08:00:00.000Z',
          lastAsked: '2024-03-05T08:00:00.000Z',
        },
      ]);
    });

    it('keeps votes, asks, conversations and settings across a reopen', async () => {
      const location = await backend.newLocation();
      const writer = await backend.open(location);
      const explained = makeVote({ vote: 'down', userId: 'member-2', votedAt: '2024-03-02T09:30:15.123Z' });
      await writer.recordVote(makeVote());
      await writer.recordVote(explained);
      await writer.explainVote('guild-1', 'message-1', 'member-2', 'not-in-report', 'Ask about the bridge');
      await writer.recordAsked('guild-1', 'who was arrested', false, new Date('2024-03-02T09:00:00.000Z'));
      await writer.saveConversation('channel-1:member-1', '{"report":"westminster-attack"}', new Date('2024-03-02T09:00:00.000Z'));
      await writer.setGuildSetting('guild-1', 'thread-replies', 'on', 'mod', new Date('2024-03-02T09:00:00.000Z'));
      await writer.close();

      const reader = await tracked(backend.open(location));
      expect(await reader.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote());
      expect(await reader.getVote('guild-1', 'message-1', 'member-2')).toEqual({
        ...explained,
        reason: 'not-in-report',
        comment: 'Ask about the bridge',
      });
      expect(await reader.tallyVotes('guild-1', 'message-1')).toEqual({ up: 1, down: 1 });
      expect((await reader.insights('guild-1', new Date('2024-03-01T00:00:00Z'), { limit: 5, flagAfterDownVotes: 1 })).declined).toEqual([
        { question: 'who was arrested', count: 1, declined: 1 },
      ]);
      expect(await reader.loadConversation('channel-1:member-1', new Date('2024-03-02T09:00:00.000Z'))).toBe(
        '{"report":"westminster-attack"}',
      );
      expect(await reader.getGuildSetting('guild-1', 'thread-replies')).toBe('on');
    });
  });

  describe('two stores on one database', () => {
    it('doing the same writes at once leave one vote per member, one row per key, and lose no count', { timeout: 60_000 }, async () => {
      const ROUNDS = 30;
      const location = await backend.newLocation();
      const stores = [await tracked(backend.open(location)), await tracked(backend.open(location))];
      const settingAt = new Date('2026-12-02T10:00:00Z');

      const results = await Promise.all(
        stores.flatMap((store, index) =>
          Array.from({ length: ROUNDS }, async (_, round) => {
            // The same click handled by both (two replicas), and each store's own member.
            const shared = await store.recordVote(makeVote({ vote: 'down', votedAt: minute(round) }));
            await store.recordVote(makeVote({ userId: `member-of-store-${index}`, vote: 'up', votedAt: minute(round) }));
            await store.recordAsked('guild-1', 'who was arrested', round % 2 === 0, new Date(minute(round)));
            await store.saveConversation('channel-1:member-1', `{"round":${round}}`, new Date(minute(round)));
            await store.setGuildSetting('guild-1', 'thread-replies', 'on', `mod-${index}`, settingAt);
            return shared;
          }),
        ),
      );
      expect(results.every((tally) => tally.down === 1 && tally.up <= 2)).toBe(true);

      for (const store of stores) {
        expect(await store.tallyVotes('guild-1', 'message-1')).toEqual({ up: 2, down: 1 });
        expect(await store.getVote('guild-1', 'message-1', 'member-1')).toEqual(makeVote({ vote: 'down', votedAt: minute(ROUNDS - 1) }));
      }
      expect(await stores[0]!.explainVote('guild-1', 'message-1', 'member-1', 'other', 'twice')).toBe(true);
      expect((await stores[1]!.insights('guild-1', new Date(minute(0)), { limit: 10, flagAfterDownVotes: 1 })).mostAsked).toEqual([
        { question: 'who was arrested', count: 2 * ROUNDS, declined: ROUNDS },
      ]);
      expect(await stores[1]!.loadConversation('channel-1:member-1', new Date(0))).toBe(`{"round":${ROUNDS - 1}}`);
      expect(await stores[0]!.getGuildSetting('guild-1', 'thread-replies')).toBe('on');
      expect(await stores[1]!.forgetConversations(new Date('2100-01-01T00:00:00Z'))).toBe(1);
    });
  });

  describe('several processes', () => {
    it('record the same pin once and lose no unanswered increments', { timeout: 60_000 }, async () => {
      const WORKERS = 6;
      const ROUNDS = 40;
      // The database is empty: the workers also race to create and migrate it.
      const location = await backend.newLocation();

      const children = Array.from({ length: WORKERS }, (_, index) => startChild(['concurrent', location, String(index), String(ROUNDS)]));
      try {
        for (const child of children) expect(await child.nextLine()).toBe('started');
        for (const child of children) child.send('open');
        for (const child of children) expect(await child.nextLine()).toBe('opened');
        for (const child of children) child.send('write');

        const summaries = await Promise.all(children.map(async (child) => JSON.parse(await child.nextLine()) as { pinsCreated: number }));
        const exits = await Promise.all(children.map((child) => child.exit));
        expect(exits.map((exit) => exit.code)).toEqual(Array(WORKERS).fill(0));
        expect(summaries.reduce((sum, summary) => sum + summary.pinsCreated, 0)).toBe(1);
      } finally {
        for (const child of children) child.kill();
      }

      const store = await tracked(backend.open(location));
      expect(await store.listPins(SHARED_PIN.guildId)).toEqual([SHARED_PIN]);
      const counts = new Map((await store.listUnanswered('guild-1', 100)).map((question) => [question.question, question.count]));
      expect(counts.get(SHARED_QUESTION)).toBe(WORKERS * ROUNDS);
      for (let index = 0; index < WORKERS; index++) {
        expect(counts.get(workerQuestion(index))).toBe(ROUNDS);
      }
      expect(counts.size).toBe(WORKERS + 1);
    });

    it('keeps a write made right before the process is killed', { timeout: 30_000 }, async () => {
      const location = await backend.newLocation();
      const child = startChild(['crash', location]);
      const exit = await child.exit;
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
      await backend.afterCrash?.(location);

      const store = await tracked(backend.open(location));
      expect(await store.getPin(CRASH_PIN.guildId, CRASH_PIN.messageId)).toEqual(CRASH_PIN);
      expect((await store.listUnanswered('guild-1', 10)).map((q) => q.question)).toEqual([CRASH_QUESTION]);
    });
  });
}

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface RunningChild {
  /** Next line the child printed; rejects if it exits first. */
  nextLine(): Promise<string>;
  send(line: string): void;
  exit: Promise<ChildExit>;
  kill(): void;
}

/** Runs tests/store/store-child.ts in its own Node process (TypeScript through tsx). */
function startChild(args: string[]): RunningChild {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();

  return {
    async nextLine() {
      const next = await lines.next();
      if (next.done) {
        const { code, signal } = await exit;
        throw new Error(`child ${args.join(' ')} exited (code ${code}, signal ${signal}) before printing a line:\n${stderr}`);
      }
      return next.value;
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    exit,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
