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
import type { BotStore, PinnedAnswer } from '../../src/store/types.ts';
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
