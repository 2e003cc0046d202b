import pg from 'pg';
import { describeError } from '../core/errors.ts';
import { checkLimit, checkReason, checkVote, COMMENTS_PER_ANSWER } from './checks.ts';
import { LATEST_POSTGRES_VERSION, POSTGRES_MIGRATIONS } from './postgres-migrations.ts';
import {
  StoreUnavailableError,
  type AnswerVote,
  type AskedQuestion,
  type BotStore,
  type Insights,
  type PinnedAnswer,
  type StoreHealth,
  type UnansweredQuestion,
  type VoteReason,
  type VoteTally,
  type VotedAnswer,
} from './types.ts';

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

interface VoteRow {
  guild_id: string;
  channel_id: string;
  message_id: string;
  user_id: string;
  vote: AnswerVote['vote'];
  question: string;
  answer_key: string;
  report_id: string;
  reason: VoteReason | null;
  comment: string | null;
  voted_at: Date;
}

const VOTE_COLUMNS = 'guild_id, channel_id, message_id, user_id, vote, question, answer_key, report_id, reason, comment, voted_at';

function voteFromRow(row: VoteRow): AnswerVote {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    userId: row.user_id,
    vote: row.vote,
    question: row.question,
    answerKey: row.answer_key,
    reportId: row.report_id,
    ...(row.reason !== null && { reason: row.reason }),
    ...(row.comment !== null && { comment: row.comment }),
    votedAt: row.voted_at.toISOString(),
  };
}

const TALLY_COLUMNS = `count(*) FILTER (WHERE vote = 'up')::int AS up, count(*) FILTER (WHERE vote = 'down')::int AS down`;

/**
 * Each answer message's votes, for the rows `where` selects (with `$1` the guild); all rows of one
 * message share its channel, question, answer and report. Comments newest first.
 */
function votedAnswersSql(where: string): string {
  return `
    SELECT guild_id, message_id,
      max(channel_id) AS channel_id, max(question) AS question, max(answer_key) AS answer_key, max(report_id) AS report_id,
      ${TALLY_COLUMNS},
      max(voted_at) AS last_voted_at,
      count(*) FILTER (WHERE vote = 'down' AND reason = 'wrong-passage')::int AS wrong_passage,
      count(*) FILTER (WHERE vote = 'down' AND reason = 'not-in-report')::int AS not_in_report,
      count(*) FILTER (WHERE vote = 'down' AND reason = 'other')::int AS other,
      coalesce(
        (array_agg(comment ORDER BY voted_at DESC, user_id COLLATE "C" ASC)
          FILTER (WHERE vote = 'down' AND trim(comment) <> ''))[1:${COMMENTS_PER_ANSWER}],
        '{}'
      ) AS comments
    FROM answer_votes
    WHERE guild_id = $1 AND (${where})
    GROUP BY guild_id, message_id`;
}

interface VotedAnswerRow extends VoteTally {
  guild_id: string;
  channel_id: string;
  message_id: string;
  question: string;
  answer_key: string;
  report_id: string;
  last_voted_at: Date;
  wrong_passage: number;
  not_in_report: number;
  other: number;
  comments: string[];
}

function votedAnswerFromRow(row: VotedAnswerRow): VotedAnswer {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    question: row.question,
    answerKey: row.answer_key,
    reportId: row.report_id,
    up: row.up,
    down: row.down,
    lastVotedAt: row.last_voted_at.toISOString(),
    reasons: { 'wrong-passage': row.wrong_passage, 'not-in-report': row.not_in_report, other: row.other },
    comments: row.comments,
  };
}

/** A pin with the votes on its message (any time). */
const PIN_WITH_TALLY_COLUMNS = `${PIN_COLUMNS}, id,
  (SELECT count(*)::int FROM answer_votes AS v
    WHERE v.guild_id = pinned_answers.guild_id AND v.message_id = pinned_answers.message_id AND v.vote = 'up')   AS up,
  (SELECT count(*)::int FROM answer_votes AS v
    WHERE v.guild_id = pinned_answers.guild_id AND v.message_id = pinned_answers.message_id AND v.vote = 'down') AS down`;

type PinWithTallyRow = PinRow & VoteTally;

function pinWithTallyFromRow(row: PinWithTallyRow): PinnedAnswer & VoteTally {
  return { ...pinFromRow(row), up: row.up, down: row.down };
}

/** The UTC day of a moment, as PostgreSQL reads a DATE: 'YYYY-MM-DD'. */
const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

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
      checkLimit('limit', limit);
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

    async recordVote(vote) {
      checkVote(vote);
      const down = vote.vote === 'down';
      // One statement: two replicas recording the same click leave one row. A changed vote loses
      // the old reason and comment; the same vote again keeps them unless it brings its own (every
      // SET expression reads the row as it was). The statement's snapshot does not see its own
      // write, so the tally is the other members' votes plus the one just written.
      const result = await query<VoteTally>(
        `WITH written AS (
           INSERT INTO answer_votes AS existing
             (guild_id, channel_id, message_id, user_id, vote, question, answer_key, report_id, reason, comment, voted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (guild_id, message_id, user_id) DO UPDATE SET
             channel_id = excluded.channel_id,
             question   = excluded.question,
             answer_key = excluded.answer_key,
             report_id  = excluded.report_id,
             reason     = CASE WHEN existing.vote = excluded.vote AND excluded.reason IS NULL AND excluded.comment IS NULL
                            THEN existing.reason ELSE excluded.reason END,
             comment    = CASE WHEN existing.vote = excluded.vote AND excluded.reason IS NULL AND excluded.comment IS NULL
                            THEN existing.comment ELSE excluded.comment END,
             voted_at   = CASE WHEN existing.vote = excluded.vote
                            THEN GREATEST(existing.voted_at, excluded.voted_at) ELSE excluded.voted_at END,
             vote       = excluded.vote
           RETURNING vote
         ),
         others AS (
           SELECT vote FROM answer_votes WHERE guild_id = $1 AND message_id = $3 AND user_id <> $4
           UNION ALL
           SELECT vote FROM written
         )
         SELECT ${TALLY_COLUMNS} FROM others`,
        [
          vote.guildId,
          vote.channelId,
          vote.messageId,
          vote.userId,
          vote.vote,
          vote.question,
          vote.answerKey,
          vote.reportId,
          down ? (vote.reason ?? null) : null,
          down ? (vote.comment ?? null) : null,
          vote.votedAt,
        ],
      );
      return result.rows[0]!;
    },

    async removeVote(guildId, messageId, userId) {
      // As in recordVote: the snapshot still holds the deleted row, so leave the member out.
      const result = await query<VoteTally>(
        `WITH removed AS (
           DELETE FROM answer_votes WHERE guild_id = $1 AND message_id = $2 AND user_id = $3
         )
         SELECT ${TALLY_COLUMNS} FROM answer_votes WHERE guild_id = $1 AND message_id = $2 AND user_id <> $3`,
        [guildId, messageId, userId],
      );
      return result.rows[0]!;
    },

    async getVote(guildId, messageId, userId) {
      const result = await query<VoteRow>(
        `SELECT ${VOTE_COLUMNS} FROM answer_votes WHERE guild_id = $1 AND message_id = $2 AND user_id = $3`,
        [guildId, messageId, userId],
      );
      const row = result.rows[0];
      return row ? voteFromRow(row) : undefined;
    },

    async explainVote(guildId, messageId, userId, reason, comment) {
      checkReason(reason);
      const result = await query(
        `UPDATE answer_votes SET reason = $4, comment = $5
         WHERE guild_id = $1 AND message_id = $2 AND user_id = $3 AND vote = 'down'`,
        [guildId, messageId, userId, reason, comment],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async tallyVotes(guildId, messageId) {
      const result = await query<VoteTally>(`SELECT ${TALLY_COLUMNS} FROM answer_votes WHERE guild_id = $1 AND message_id = $2`, [
        guildId,
        messageId,
      ]);
      return result.rows[0]!;
    },

    async listUpvotedAnswers(guildId, limit) {
      checkLimit('limit', limit);
      // Ties: the most recently voted first, then by message id so the order is stable.
      const result = await query<VotedAnswerRow>(
        `SELECT * FROM (${votedAnswersSql('TRUE')}) AS answers
         WHERE up > down
         ORDER BY up - down DESC, last_voted_at DESC, message_id COLLATE "C" ASC
         LIMIT $2`,
        [guildId, limit],
      );
      return result.rows.map(votedAnswerFromRow);
    },

    async recordAsked(guildId, normalizedQuestion, answered, at) {
      await query(
        `INSERT INTO asked_questions AS existing (guild_id, question, day, asked, declined, last_asked)
         VALUES ($1, $2, $3, 1, $4, $5)
         ON CONFLICT (guild_id, question, day) DO UPDATE SET
           asked      = existing.asked + 1,
           declined   = existing.declined + excluded.declined,
           last_asked = GREATEST(existing.last_asked, excluded.last_asked)`,
        [guildId, normalizedQuestion, utcDay(at), answered ? 0 : 1, at.toISOString()],
      );
    },

    async insights(guildId, since, { limit, flagAfterDownVotes }): Promise<Insights> {
      checkLimit('limit', limit);
      checkLimit('flagAfterDownVotes', flagAfterDownVotes);
      const asked = (having: string, orderBy: string) =>
        query<AskedQuestion>(
          `SELECT question, sum(asked)::int AS count, sum(declined)::int AS declined
           FROM asked_questions
           WHERE guild_id = $1 AND day >= $2::date
           GROUP BY question
           ${having}
           ORDER BY ${orderBy}, max(last_asked) DESC, question COLLATE "C" ASC
           LIMIT $3`,
          [guildId, utcDay(since), limit],
        );
      const [mostAsked, declined, unhelpful, pins, flaggedPins] = await Promise.all([
        asked('', 'count DESC'),
        asked('HAVING sum(declined) > 0', 'declined DESC'),
        // The message's whole tally, for the messages given a 👎 in the period.
        query<VotedAnswerRow>(
          `${votedAnswersSql(
            `message_id IN (SELECT message_id FROM answer_votes WHERE guild_id = $1 AND vote = 'down' AND voted_at >= $2)`,
          )}
           ORDER BY down DESC, last_voted_at DESC, message_id COLLATE "C" ASC
           LIMIT $3`,
          [guildId, since.toISOString(), limit],
        ),
        query<PinWithTallyRow>(
          `SELECT ${PIN_WITH_TALLY_COLUMNS} FROM pinned_answers
           WHERE guild_id = $1 AND pinned_at >= $2
           ORDER BY pinned_at DESC, id DESC
           LIMIT $3`,
          [guildId, since.toISOString(), limit],
        ),
        query<PinWithTallyRow>(
          `SELECT * FROM (SELECT ${PIN_WITH_TALLY_COLUMNS} FROM pinned_answers WHERE guild_id = $1) AS pins
           WHERE down >= $2 AND down > up
           ORDER BY down DESC, pinned_at DESC, id DESC
           LIMIT $3`,
          [guildId, flagAfterDownVotes, limit],
        ),
      ]);
      return {
        mostAsked: mostAsked.rows,
        declined: declined.rows,
        unhelpful: unhelpful.rows.map(votedAnswerFromRow),
        pins: pins.rows.map(pinWithTallyFromRow),
        flaggedPins: flaggedPins.rows.map(pinWithTallyFromRow),
      };
    },

    async saveConversation(key, context, at) {
      // A save that arrives late (another replica, an older answer) does not replace a newer context.
      await query(
        `INSERT INTO conversations AS existing (key, context, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at
         WHERE excluded.updated_at >= existing.updated_at`,
        [key, context, at.toISOString()],
      );
    },

    async loadConversation(key, notBefore) {
      const result = await query<{ context: string }>('SELECT context FROM conversations WHERE key = $1 AND updated_at >= $2', [
        key,
        notBefore.toISOString(),
      ]);
      return result.rows[0]?.context;
    },

    async forgetConversations(before) {
      const result = await query('DELETE FROM conversations WHERE updated_at < $1', [before.toISOString()]);
      return result.rowCount ?? 0;
    },

    async setGuildSetting(guildId, name, value, setBy, at) {
      if (value === null) {
        await query('DELETE FROM guild_settings WHERE guild_id = $1 AND name = $2', [guildId, name]);
        return;
      }
      await query(
        `INSERT INTO guild_settings (guild_id, name, value, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (guild_id, name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`,
        [guildId, name, value, setBy, at.toISOString()],
      );
    },

    async getGuildSetting(guildId, name) {
      const result = await query<{ value: string }>('SELECT value FROM guild_settings WHERE guild_id = $1 AND name = $2', [guildId, name]);
      return result.rows[0]?.value;
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
