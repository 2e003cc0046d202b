import pg from 'pg';
import { describeError } from '../core/errors.ts';
import { LATEST_POSTGRES_VERSION, POSTGRES_MIGRATIONS } from './postgres-migrations.ts';
import { StoreUnavailableError, type BotStore, type PinnedAnswer, type StoreHealth, type UnansweredQuestion } from './types.ts';

/**
 * The store on a PostgreSQL server (DATABASE_URL), for several bot processes or machines sharing
 * what the bot remembers. Same contract as the SQLite store; every write is one idempotent
 * statement or one transaction, so two replicas handling the same click leave one record.
 */

export interface PostgresStoreOptions {
  /** The most distinct unanswered questions kept per server (see UNANSWERED_LIMIT). */
  unansweredLimit?: number;
  /** Connections this process keeps open at most (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** The server cancels a statement running longer than this (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** How long opening one connection may take (DATABASE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** How long an operation keeps reconnecting while the server cannot be reached (DATABASE_RECONNECT_TIMEOUT_MS). */
  reconnectTimeoutMs?: number;
  /** Where connection problems of idle connections are reported. */
  onConnectionError?: (problem: string) => void;
}

type Settings = Required<Omit<PostgresStoreOptions, 'onConnectionError'>>;

export const POSTGRES_DEFAULTS: Readonly<Settings> = {
  poolSize: 10,
  statementTimeoutMs: 5000,
  connectTimeoutMs: 5000,
  reconnectTimeoutMs: 10_000,
  unansweredLimit: 1000,
};

/** Any fixed number works: it names the lock that processes starting at once queue on to migrate one at a time. */
const MIGRATION_LOCK_KEY = 4_417_262_059;

/** The database in DATABASE_URL cannot be used at start-up: unreachable, refused, or newer than this bot. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** DATABASE_URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  // PostgreSQL's own: shutting down, restarting, starting up, and connection exceptions (class 08).
  '57P01',
  '57P02',
  '57P03',
]);

/** An error of the connection rather than of the statement: another connection may succeed. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08')) return true;
  // pg reports a socket closed under it, and a connect that timed out, without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<BotStore> {
  const settings = { ...POSTGRES_DEFAULTS, ...definedOnly(options) };
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'report-bot',
  });
  // An idle connection dropped by the server (a restart) is removed from the pool; without a
  // listener, pg's error event would end the process.
  pool.on('error', (error) => options.onConnectionError?.(describeError(error)));

  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(
      `Cannot use the PostgreSQL database in DATABASE_URL (${redactDatabaseUrl(url)}): ${describeError(error)}. ` +
        'Check that the server is running and reachable, and that DATABASE_URL names the right host, port, database, user and password.',
      { cause: error },
    );
  }
  return createStore(pool, settings);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Applies the pending migrations under an advisory lock, so processes starting at the same moment
 * migrate one after the other; each migration is one transaction with its version row.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // Waiting for another process's migration must not hit the statement timeout.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version     INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
      const current = Number(
        (await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations')).rows[0]?.version,
      );
      if (current > LATEST_POSTGRES_VERSION) {
        throw new DatabaseOpenError(
          `The PostgreSQL database in DATABASE_URL has schema version ${current}, but this version of the bot only knows up to ${LATEST_POSTGRES_VERSION}. Update the bot; the database was not changed.`,
        );
      }
      for (const migration of POSTGRES_MIGRATIONS.filter((candidate) => candidate.version > current)) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
            migration.version,
            migration.description,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // The connection had its statement timeout changed: close it rather than give it back.
    client.release(broken ?? true);
  }
}

interface PinRow {
  guild_id: string;
  channel_id: string;
  message_id: string;
  question: string;
  answer_key: string;
  pinned_by: string;
  pinned_at: Date;
}

function pinFromRow(row: PinRow): PinnedAnswer {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    question: row.question,
    answerKey: row.answer_key,
    pinnedBy: row.pinned_by,
    pinnedAt: row.pinned_at.toISOString(),
  };
}

const PIN_COLUMNS = 'guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at';

function createStore(pool: pg.Pool, settings: Settings): BotStore {
  /**
   * Runs an operation, reconnecting while the server cannot be reached (a restart), for at most
   * the reconnect timeout. Only connection errors are retried: the statements are idempotent, or
   * (the unanswered counter) a rare double count is harmless.
   */
  async function reconnecting<T>(operation: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + settings.reconnectTimeoutMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
      try {
        return await operation();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        if (Date.now() + pause > deadline) {
          throw new StoreUnavailableError(`the PostgreSQL database cannot be reached (${describeError(error)})`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  const query = <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) => reconnecting(() => pool.query<Row>(text, values));

  async function inTransaction(statements: Array<[string, unknown[]]>): Promise<void> {
    await reconnecting(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        for (const [text, values] of statements) await client.query(text, values);
        await client.query('COMMIT');
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(broken && isConnectionError(broken) ? broken : undefined);
      }
    });
  }

  return {
    kind: 'postgres',

    async recordPin(pin) {
      const result = await query(
        `INSERT INTO pinned_answers (guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (guild_id, message_id) DO NOTHING`,
        [pin.guildId, pin.channelId, pin.messageId, pin.question, pin.answerKey, pin.pinnedBy, pin.pinnedAt],
      );
      return { created: result.rowCount === 1 };
    },

    async removePin(guildId, messageId) {
      const result = await query('DELETE FROM pinned_answers WHERE guild_id = $1 AND message_id = $2', [guildId, messageId]);
      return (result.rowCount ?? 0) > 0;
    },

    async getPin(guildId, messageId) {
      const result = await query<PinRow>(`SELECT ${PIN_COLUMNS} FROM pinned_answers WHERE guild_id = $1 AND message_id = $2`, [
        guildId,
        messageId,
      ]);
      const row = result.rows[0];
      return row ? pinFromRow(row) : undefined;
    },

    async listPins(guildId) {
      // id breaks ties between pins with the same timestamp: later insert = newer.
      const result = await query<PinRow>(`SELECT ${PIN_COLUMNS} FROM pinned_answers WHERE guild_id = $1 ORDER BY pinned_at DESC, id DESC`, [
        guildId,
      ]);
      return result.rows.map(pinFromRow);
    },

    async recordUnanswered(guildId, normalizedQuestion, at) {
      // LEAST/GREATEST: asks recorded by several processes can arrive slightly out of order.
      // Beyond the limit, the least recently asked questions go; COLLATE "C" orders ties as SQLite does.
      await inTransaction([
        [
          `INSERT INTO unanswered_questions AS existing (guild_id, question, count, first_asked, last_asked)
           VALUES ($1, $2, 1, $3, $3)
           ON CONFLICT (guild_id, question) DO UPDATE SET
             count       = existing.count + 1,
             first_asked = LEAST(existing.first_asked, excluded.first_asked),
             last_asked  = GREATEST(existing.last_asked, excluded.last_asked)`,
          [guildId, normalizedQuestion, at.toISOString()],
        ],
        [
          `DELETE FROM unanswered_questions
           WHERE guild_id = $1 AND question IN (
             SELECT question FROM unanswered_questions WHERE guild_id = $1
             ORDER BY last_asked DESC, question COLLATE "C" ASC OFFSET $2
           )`,
          [guildId, settings.unansweredLimit],
        ],
      ]);
    },

    async listUnanswered(guildId, limit): Promise<UnansweredQuestion[]> {
      if (!Number.isInteger(limit) || limit < 0) {
        throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
      }
      const result = await query<{ question: string; count: number; first_asked: Date; last_asked: Date }>(
        `SELECT question, count, first_asked, last_asked FROM unanswered_questions
         WHERE guild_id = $1
         ORDER BY count DESC, last_asked DESC, question COLLATE "C" ASC
         LIMIT $2`,
        [guildId, limit],
      );
      return result.rows.map((row) => ({
        question: row.question,
        count: row.count,
        firstAsked: row.first_asked.toISOString(),
        lastAsked: row.last_asked.toISOString(),
      }));
    },

    async setDefaultReport(guildId, channelId, reportId, setBy, at) {
      if (reportId === null) {
        await query('DELETE FROM default_reports WHERE guild_id = $1 AND channel_id = $2', [guildId, channelId ?? '']);
        return;
      }
      await query(
        `INSERT INTO default_reports (guild_id, channel_id, report_id, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (guild_id, channel_id) DO UPDATE SET report_id = excluded.report_id, set_by = excluded.set_by, set_at = excluded.set_at`,
        [guildId, channelId ?? '', reportId, setBy, at.toISOString()],
      );
    },

    async getDefaultReports(guildId, channelId) {
      const result = await query<{ channel_id: string; report_id: string }>(
        `SELECT channel_id, report_id FROM default_reports WHERE guild_id = $1 AND channel_id IN ($2, '')`,
        [guildId, channelId ?? ''],
      );
      const channel = channelId ? result.rows.find((row) => row.channel_id === channelId)?.report_id : undefined;
      const server = result.rows.find((row) => row.channel_id === '')?.report_id;
      return { ...(channel && { channel }), ...(server && { server }) };
    },

    async health(): Promise<StoreHealth> {
      try {
        await pool.query('SELECT 1');
        return { ok: true, kind: 'postgres' };
      } catch (error) {
        return { ok: false, kind: 'postgres', problem: describeError(error) };
      }
    },

    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
