/**
 * Child process used by tests/store.test.ts to exercise the store from several processes.
 * Run with: node --import tsx tests/store/store-child.ts <mode> <location> [...]
 * where the location is a SQLite file path or a PostgreSQL URL.
 *
 * Modes:
 *   concurrent <dbPath> <workerIndex> <rounds>
 *     Prints "started", waits for "open" on stdin, opens the store, prints "opened",
 *     waits for "write", then records the same pin and unanswered questions `rounds` times
 *     and prints a JSON summary line. Stepping in lockstep makes the processes really collide.
 *   crash <dbPath>
 *     Records a pin and an unanswered question, then kills itself with SIGKILL without closing.
 */
import { createInterface } from 'node:readline';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import type { BotStore } from '../../src/store/types.ts';
import { CRASH_PIN, CRASH_QUESTION, SHARED_PIN, SHARED_QUESTION, workerQuestion } from './fixtures.ts';

/** A PostgreSQL URL or a SQLite file. */
async function openStoreAt(location: string): Promise<BotStore> {
  return /^postgres(ql)?:/.test(location) ? openPostgresStore(location) : openSqliteStore(location);
}

type LineReader = AsyncIterator<string>;

async function waitForCommand(stdinLines: LineReader, expected: string): Promise<void> {
  const next = await stdinLines.next();
  if (next.done || next.value.trim() !== expected) {
    throw new Error(`expected "${expected}" on stdin, got ${next.done ? 'end of input' : `"${next.value}"`}`);
  }
}

async function runConcurrent(dbPath: string, workerIndex: number, rounds: number): Promise<void> {
  const stdinLines: LineReader = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  console.log('started');
  await waitForCommand(stdinLines, 'open');
  const store = await openStoreAt(dbPath);
  console.log('opened');
  await waitForCommand(stdinLines, 'write');

  let pinsCreated = 0;
  for (let round = 0; round < rounds; round++) {
    if ((await store.recordPin(SHARED_PIN)).created) pinsCreated++;
    await store.recordUnanswered('guild-1', SHARED_QUESTION, new Date());
    await store.recordUnanswered('guild-1', workerQuestion(workerIndex), new Date());
  }
  await store.close();
  console.log(JSON.stringify({ workerIndex, pinsCreated }));
  process.exit(0);
}

async function runCrash(dbPath: string): Promise<void> {
  const store = await openStoreAt(dbPath);
  await store.recordPin(CRASH_PIN);
  await store.recordUnanswered('guild-1', CRASH_QUESTION, new Date());
  // No close(): the process dies as abruptly as it can.
  process.kill(process.pid, 'SIGKILL');
}

const [mode, dbPath, ...rest] = process.argv.slice(2);
if (mode === 'concurrent' && dbPath) {
  await runConcurrent(dbPath, Number(rest[0]), Number(rest[1]));
} else if (mode === 'crash' && dbPath) {
  await runCrash(dbPath);
} else {
  console.error(`usage: store-child.ts concurrent|crash <dbPath> [...] (got ${process.argv.slice(2).join(' ')})`);
  process.exit(2);
}
