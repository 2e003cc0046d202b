/**
 * The PostgreSQL store against a real server that this file starts (tests/store/postgres-server.ts):
 * the store contract, migrations under a lock, the server restarting under a running store,
 * and a server that is down when the store opens.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_POSTGRES_VERSION, POSTGRES_MIGRATIONS } from '../src/store/postgres-migrations.ts';
import { DatabaseOpenError, openPostgresStore } from '../src/store/postgres-store.ts';
import { StoreUnavailableError } from '../src/store/types.ts';
import { freePort } from './fixtures/ports.ts';
import { makePin, makeVote, storeContract } from './store/contract.ts';
import { POSTGRES_MISSING, POSTGRES_REQUIRED, startPostgres, type PostgresServer } from './store/postgres-server.ts';

const skip = POSTGRES_MISSING !== undefined && !POSTGRES_REQUIRED;
if (skip) console.warn(`PostgreSQL store tests skipped: ${POSTGRES_MISSING}. REQUIRE_POSTGRES=1 makes this a failure.`);

describe.skipIf(skip)('PostgreSQL store', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => server?.stop());

  describe('the store contract on a PostgreSQL server', () => {
    storeContract({
      newLocation: () => server.createDatabase(),
      open: (location, options) => openPostgresStore(location, options),
    });
  });

  it('records its schema version, and a database of a newer version is refused untouched', async () => {
    const url = await server.createDatabase();
    await (await openPostgresStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SELECT max(version) AS version FROM schema_migrations')).rows[0].version).toBe(LATEST_POSTGRES_VERSION);
      await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, 'from the future')", [
        LATEST_POSTGRES_VERSION + 1,
      ]);
      const opening = openPostgresStore(url);
      await expect(opening).rejects.toBeInstanceOf(DatabaseOpenError);
      await expect(opening).rejects.toThrow(`schema version ${LATEST_POSTGRES_VERSION + 1}`);
      expect(Number((await client.query('SELECT count(*) AS n FROM schema_migrations')).rows[0].n)).toBe(LATEST_POSTGRES_VERSION + 1);
    } finally {
      await client.end();
    }
  });

  it('migrates a database at version 1 (before votes, asked questions, conversations and settings) and keeps its pins', async () => {
    const url = await server.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The database as version 1 left it: its migration has shipped and never changes.
      await client.query(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
      await client.query(POSTGRES_MIGRATIONS[0]!.sql);
      await client.query(`INSERT INTO schema_migrations (version, description) VALUES (1, 'version 1')`);
      await client.query(
        `INSERT INTO pinned_answers (guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at)
         VALUES ('guild-1', 'channel-1', 'pinned-in-v1', 'Who raised the alarm?', 'westminster-attack/p7', 'moderator-3', '2026-11-30T18:00:00.000Z')`,
      );
    } finally {
      await client.end();
    }

    const store = await openPostgresStore(url);
    try {
      const pin = makePin({
        messageId: 'pinned-in-v1',
        question: 'Who raised the alarm?',
        answerKey: 'westminster-attack/p7',
        pinnedBy: 'moderator-3',
        pinnedAt: '2026-11-30T18:00:00.000Z',
      });
      expect(await store.listPins('guild-1')).toEqual([pin]);
      const votedAt = '2026-12-01T09:00:00.000Z';
      expect(await store.recordVote(makeVote({ messageId: 'pinned-in-v1', vote: 'down', votedAt }))).toEqual({ up: 0, down: 1 });
      await store.recordAsked('guild-1', 'who raised the alarm', false, new Date(votedAt));
      await store.saveConversation('channel-1:member-1', '{}', new Date(votedAt));
      await store.setGuildSetting('guild-1', 'thread-replies', 'on', 'moderator-3', new Date(votedAt));
      const insights = await store.insights('guild-1', new Date('2026-11-30T00:00:00.000Z'), { limit: 5, flagAfterDownVotes: 1 });
      expect(insights.pins).toEqual([{ ...pin, up: 0, down: 1 }]);
      expect(insights.declined).toEqual([{ question: 'who raised the alarm', count: 1, declined: 1 }]);
      expect(await store.loadConversation('channel-1:member-1', new Date(votedAt))).toBe('{}');
      expect(await store.getGuildSetting('guild-1', 'thread-replies')).toBe('on');
    } finally {
      await store.close();
    }
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      expect((await check.query('SELECT max(version) AS version FROM schema_migrations')).rows[0].version).toBe(LATEST_POSTGRES_VERSION);
    } finally {
      await check.end();
    }
  });

  it('ten stores opening one empty database at once migrate it once', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all(Array.from({ length: 10 }, () => openPostgresStore(url, { poolSize: 2 })));
    try {
      const results = await Promise.all(stores.map((store) => store.recordPin(makePin())));
      expect(results.filter((result) => result.created)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('a restart of the server under a running store: it reconnects, and nothing acknowledged is lost', async () => {
    const url = await server.createDatabase();
    const store = await openPostgresStore(url, { reconnectTimeoutMs: 20_000 });
    try {
      expect(await store.recordPin(makePin({ messageId: 'before' }))).toEqual({ created: true });
      server.pause();
      expect(await store.health()).toMatchObject({ ok: false, kind: 'postgres' });
      // Asked while the server is down: it waits and reconnects rather than failing.
      const during = store.recordPin(makePin({ messageId: 'during' }));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      server.start();
      expect(await during).toEqual({ created: true });
      expect(await store.health()).toEqual({ ok: true, kind: 'postgres' });
      expect((await store.listPins('guild-1')).map((pin) => pin.messageId).sort()).toEqual(['before', 'during']);
    } finally {
      await store.close();
    }
  });

  it('a server down for longer than the reconnect timeout: the operation fails as unavailable, and the store recovers', async () => {
    const url = await server.createDatabase();
    const store = await openPostgresStore(url, { reconnectTimeoutMs: 300 });
    try {
      server.pause();
      await expect(store.listPins('guild-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      server.start();
      expect(await store.listPins('guild-1')).toEqual([]);
    } finally {
      server.start();
      await store.close();
    }
  });

  it('a server that is down at start-up: a clear error naming DATABASE_URL, without the password', async () => {
    const port = await freePort();
    const opening = openPostgresStore(`postgres://bot:secret-password@127.0.0.1:${port}/bot`);
    await expect(opening).rejects.toBeInstanceOf(DatabaseOpenError);
    const error = (await opening.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('secret-password');
  });
});
