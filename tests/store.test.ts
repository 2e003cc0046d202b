import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/store/migrations.ts';
import { openSqliteStore, StoreOpenError } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import { makePin, storeContract } from './store/contract.ts';

const isRoot = process.getuid?.() === 0;

/** Reads a pragma through a separate connection, as another process would see the file. */
function readPragmaDirectly(dbPath: string, pragma: string): unknown {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    return db.pragma(pragma, { simple: true });
  } finally {
    db.close();
  }
}

/** SQLite's companion files; a refused open must not leave any behind. */
function sidecarFiles(dbPath: string): string[] {
  return ['-wal', '-shm', '-journal'].map((suffix) => dbPath + suffix).filter((file) => fs.existsSync(file));
}

let tempDir: string;
const openStores: BotStore[] = [];

/** Opens a store that is closed automatically after the test. */
function openTracked(dbPath: string): BotStore {
  const store = openSqliteStore(dbPath);
  openStores.push(store);
  return store;
}

beforeEach(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-bot-store-'));
});

afterEach(async () => {
  await Promise.all(openStores.splice(0).map((store) => store.close()));
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('the store contract on SQLite files', () => {
  let counter = 0;
  storeContract({
    newLocation: async () => path.join(tempDir, `store-${++counter}`, 'bot.sqlite'),
    open: async (location, options) => openSqliteStore(location, options),
    afterCrash(location) {
      // The commit is still only in the write-ahead log: nobody checkpointed or closed it.
      expect(fs.statSync(`${location}-wal`).size).toBeGreaterThan(0);
    },
  });
});

describe('SQLite file', () => {
  it('creates a missing folder and turns on WAL mode', async () => {
    const dbPath = path.join(tempDir, 'not', 'yet', 'there', 'bot.sqlite');
    const store = openTracked(dbPath);
    expect(fs.statSync(path.dirname(dbPath)).isDirectory()).toBe(true);
    expect(readPragmaDirectly(dbPath, 'journal_mode')).toBe('wal');
    expect(readPragmaDirectly(dbPath, 'user_version')).toBe(LATEST_SCHEMA_VERSION);
    await store.close();
  });

  it('migrates a v1 database (no normalized_question, no unanswered table) and keeps its rows', async () => {
    const dbPath = path.join(tempDir, 'old.sqlite');
    // Written out by hand, as the first release created it, so this test does not depend on
    // migrations.ts staying unchanged.
    const old = new Database(dbPath);
    old.exec(`
      CREATE TABLE pinned_answers (
        id INTEGER PRIMARY KEY,
        guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, message_id TEXT NOT NULL,
        question TEXT NOT NULL, answer_key TEXT NOT NULL,
        pinned_by TEXT NOT NULL, pinned_at TEXT NOT NULL,
        UNIQUE (guild_id, message_id)
      );
      INSERT INTO pinned_answers (guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at)
      VALUES ('guild-1', 'channel-1', 'old-message', '  Who Was Arrested? ', 'westminster-attack/p3',
              'moderator-9', '2023-12-24T18:00:00.000Z');
    `);
    old.pragma('user_version = 1');
    old.close();

    const store = openTracked(dbPath);
    expect(readPragmaDirectly(dbPath, 'user_version')).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getPin('guild-1', 'old-message')).toEqual({
      guildId: 'guild-1',
      channelId: 'channel-1',
      messageId: 'old-message',
      question: '  Who Was Arrested? ',
      answerKey: 'westminster-attack/p3',
      pinnedBy: 'moderator-9',
      pinnedAt: '2023-12-24T18:00:00.000Z',
    });
    // The new parts of the schema work on the migrated file.
    expect(await store.recordPin(makePin({ messageId: 'old-message' }))).toEqual({ created: false });
    expect(await store.recordPin(makePin({ messageId: 'new-message' }))).toEqual({ created: true });
    await store.recordUnanswered('guild-1', 'new question', new Date('2024-03-01T00:00:00.000Z'));
    expect(await store.listUnanswered('guild-1', 10)).toHaveLength(1);
  });

  it('refuses a garbage file with StoreOpenError and leaves its bytes untouched', () => {
    const dbPath = path.join(tempDir, 'bot.sqlite');
    const garbage = Buffer.concat([
      Buffer.from('this is not a SQLite database\n'),
      Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256)),
    ]);
    fs.writeFileSync(dbPath, garbage);

    let caught: unknown;
    try {
      openSqliteStore(dbPath);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreOpenError);
    const error = caught as StoreOpenError;
    expect(error.message).toBe(
      `Cannot open the database file "${dbPath}": file is not a database. Fix or move the file; it is never overwritten.`,
    );
    expect(error.filePath).toBe(dbPath);
    expect(fs.readFileSync(dbPath).equals(garbage)).toBe(true);
    expect(sidecarFiles(dbPath)).toEqual([]);
    // Trying again gives the same answer: nothing was "repaired" in between.
    expect(() => openSqliteStore(dbPath)).toThrow(StoreOpenError);
    expect(fs.readFileSync(dbPath).equals(garbage)).toBe(true);
  });

  it('refuses a SQLite file with damaged pages and leaves its bytes untouched', async () => {
    const dbPath = path.join(tempDir, 'bot.sqlite');
    const store = openSqliteStore(dbPath);
    for (let i = 0; i < 50; i++) await store.recordPin(makePin({ messageId: `m${i}` }));
    await store.close();
    const pageSize = readPragmaDirectly(dbPath, 'page_size') as number;

    // Keep the header page intact, scribble over everything after it.
    const damaged = fs.readFileSync(dbPath);
    damaged.fill(0xa5, pageSize);
    fs.writeFileSync(dbPath, damaged);

    expect(() => openSqliteStore(dbPath)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(dbPath)).toThrow(new RegExp(`^Cannot open the database file "${escapeRegExp(dbPath)}"`));
    expect(fs.readFileSync(dbPath).equals(damaged)).toBe(true);
    expect(sidecarFiles(dbPath)).toEqual([]);
  });

  it('refuses a path that cannot be opened as a file', () => {
    const dirPath = path.join(tempDir, 'a-folder.sqlite');
    fs.mkdirSync(dirPath);
    expect(() => openSqliteStore(dirPath)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(dirPath)).toThrow(dirPath);
  });

  it.skipIf(isRoot)('refuses a file without read/write permission', () => {
    const dbPath = path.join(tempDir, 'locked.sqlite');
    fs.writeFileSync(dbPath, '');
    fs.chmodSync(dbPath, 0o000);
    expect(() => openSqliteStore(dbPath)).toThrow(/permission denied/);
    fs.chmodSync(dbPath, 0o600);
  });

  it('refuses a file from a newer schema version and does not touch it', () => {
    const dbPath = path.join(tempDir, 'future.sqlite');
    const future = new Database(dbPath);
    future.exec('CREATE TABLE something_new (id INTEGER PRIMARY KEY)');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    const before = fs.readFileSync(dbPath);

    expect(() => openSqliteStore(dbPath)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(dbPath)).toThrow(
      `its schema version is ${LATEST_SCHEMA_VERSION + 1}, but this version of the bot only knows up to ${LATEST_SCHEMA_VERSION}`,
    );
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
    expect(sidecarFiles(dbPath)).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
