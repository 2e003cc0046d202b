import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/store/migrations.ts';
import { openSqliteStore, StoreOpenError } from '../src/store/sqlite-store.ts';
import type { BotStore } from '../src/store/types.ts';
import { makePin, makeVote, storeContract } from './store/contract.ts';

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

  it('migrates a v3 database (before votes, asked questions, conversations and settings) and keeps its rows', async () => {
    const dbPath = path.join(tempDir, 'v3.sqlite');
    // The schema as version 3 left it, written out by hand like the v1 file above.
    const old = new Database(dbPath);
    old.exec(`
      CREATE TABLE pinned_answers (
        id INTEGER PRIMARY KEY,
        guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, message_id TEXT NOT NULL,
        question TEXT NOT NULL, answer_key TEXT NOT NULL,
        pinned_by TEXT NOT NULL, pinned_at TEXT NOT NULL,
        UNIQUE (guild_id, message_id)
      );
      CREATE INDEX pinned_answers_by_guild_newest ON pinned_answers (guild_id, pinned_at DESC, id DESC);
      CREATE TABLE unanswered_questions (
        guild_id TEXT NOT NULL, question TEXT NOT NULL, count INTEGER NOT NULL CHECK (count >= 1),
        first_asked TEXT NOT NULL, last_asked TEXT NOT NULL,
        PRIMARY KEY (guild_id, question)
      ) WITHOUT ROWID;
      CREATE INDEX unanswered_questions_by_popularity ON unanswered_questions (guild_id, count DESC, last_asked DESC);
      CREATE INDEX unanswered_questions_by_recency ON unanswered_questions (guild_id, last_asked DESC);
      CREATE TABLE default_reports (
        guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, report_id TEXT NOT NULL,
        set_by TEXT NOT NULL, set_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, channel_id)
      ) WITHOUT ROWID;
      INSERT INTO pinned_answers (guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at)
      VALUES ('guild-1', 'channel-1', 'pinned-in-v3', 'Who raised the alarm?', 'westminster-attack/p7',
              'moderator-3', '2026-11-30T18:00:00.000Z');
      INSERT INTO unanswered_questions VALUES ('guild-1', 'how many were hurt', 2, '2026-11-29T10:00:00.000Z', '2026-11-30T10:00:00.000Z');
      INSERT INTO default_reports VALUES ('guild-1', '', 'westminster-attack', 'moderator-3', '2026-11-28T10:00:00.000Z');
    `);
    old.pragma('user_version = 3');
    old.close();

    const store = openTracked(dbPath);
    expect(readPragmaDirectly(dbPath, 'user_version')).toBe(LATEST_SCHEMA_VERSION);
    const pin = {
      guildId: 'guild-1',
      channelId: 'channel-1',
      messageId: 'pinned-in-v3',
      question: 'Who raised the alarm?',
      answerKey: 'westminster-attack/p7',
      pinnedBy: 'moderator-3',
      pinnedAt: '2026-11-30T18:00:00.000Z',
    };
    expect(await store.listPins('guild-1')).toEqual([pin]);
    expect(await store.listUnanswered('guild-1', 10)).toEqual([
      { question: 'how many were hurt', count: 2, firstAsked: '2026-11-29T10:00:00.000Z', lastAsked: '2026-11-30T10:00:00.000Z' },
    ]);
    expect(await store.getDefaultReports('guild-1', 'channel-1')).toEqual({ server: 'westminster-attack' });

    // The new tables work on the migrated file, next to the old pin.
    const votedAt = '2026-12-01T09:00:00.000Z';
    expect(await store.recordVote(makeVote({ messageId: 'pinned-in-v3', vote: 'down', votedAt }))).toEqual({ up: 0, down: 1 });
    await store.recordAsked('guild-1', 'who raised the alarm', true, new Date(votedAt));
    await store.saveConversation('channel-1:member-1', '{}', new Date(votedAt));
    await store.setGuildSetting('guild-1', 'thread-replies', 'on', 'moderator-3', new Date(votedAt));
    const insights = await store.insights('guild-1', new Date('2026-11-30T00:00:00.000Z'), { limit: 5, flagAfterDownVotes: 1 });
    expect(insights.pins).toEqual([{ ...pin, up: 0, down: 1 }]);
    expect(insights.flaggedPins).toEqual([{ ...pin, up: 0, down: 1 }]);
    expect(insights.mostAsked).toEqual([{ question: 'who raised the alarm', count: 1, declined: 0 }]);
    expect(await store.loadConversation('channel-1:member-1', new Date(votedAt))).toBe('{}');
    expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBe('on');
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
