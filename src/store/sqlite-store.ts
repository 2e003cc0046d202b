import { accessSync, constants as fsConstants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.ts';
import {
  type AnswerVote,
  type AskedQuestion,
  type BotStore,
  type PinnedAnswer,
  type UnansweredQuestion,
  type VoteReason,
  type VoteTally,
  type VotedAnswer,
} from './types.ts';
import { describeError } from '../core/errors.ts';
import { checkLimit, checkReason, checkVote, COMMENTS_PER_ANSWER } from './checks.ts';

/**
 * How long a connection waits for another connection (possibly in another process) to
 * release its lock before a statement fails with SQLITE_BUSY.
 */
const BUSY_TIMEOUT_MS = 5000;

const IN_MEMORY_PATH = ':memory:';

/**
 * The database file cannot be used: unreadable, not a SQLite database, corrupt, or written by
 * a newer version of the bot. The file is left exactly as it was found.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  readonly filePath: string;

  constructor(filePath: string, reason: string, options: { cause?: unknown; advice?: string } = {}) {
    const advice = options.advice ?? 'Fix or move the file; it is never overwritten.';
    super(`Cannot open the database file "${filePath}": ${reason}. ${advice}`, {
      cause: options.cause,
    });
    this.filePath = filePath;
  }
}

/**
 * Opens (creating if needed) the SQLite database at `path` and migrates it to the latest schema.
 * `':memory:'` gives a private in-memory database, meant for unit tests.
 *
 * Throws StoreOpenError if the file cannot be used; it is never overwritten or recreated.
 */
export interface SqliteStoreOptions {
  /** The most distinct unanswered questions kept per server (see UNANSWERED_LIMIT). */
  unansweredLimit?: number;
}

/** Without a setting: enough for a busy server's declined questions, small enough to stay fast. */
const DEFAULT_UNANSWERED_LIMIT = 1000;

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): BotStore {
  const inMemory = path === IN_MEMORY_PATH;
  const displayPath = inMemory ? path : resolve(path);

  if (!inMemory) {
    prepareFileLocation(displayPath);
  }

  let db: Database.Database;
  try {
    db = new Database(inMemory ? path : displayPath);
  } catch (error) {
    throw new StoreOpenError(displayPath, describeError(error), { cause: error });
  }

  try {
    configureAndMigrate(db, displayPath, inMemory);
    return createStore(db, options.unansweredLimit ?? DEFAULT_UNANSWERED_LIMIT);
  } catch (error) {
    // Either nothing was written yet or the failing migration's transaction was rolled back,
    // so closing leaves the data as it was.
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(displayPath, describeError(error), { cause: error });
  }
}

function prepareFileLocation(absolutePath: string): void {
  try {
    mkdirSync(dirname(absolutePath), { recursive: true });
  } catch (error) {
    throw new StoreOpenError(absolutePath, `cannot create its folder (${describeError(error)})`, {
      cause: error,
    });
  }
  if (existsSync(absolutePath)) {
    try {
      // SQLite silently falls back to read-only on a write-protected file, which would only
      // surface later as failed writes. Fail now, with the real reason.
      accessSync(absolutePath, fsConstants.R_OK | fsConstants.W_OK);
    } catch (error) {
      throw new StoreOpenError(absolutePath, `permission denied (the bot needs read and write access)`, { cause: error });
    }
  }
}

/**
 * Order matters: nothing may write to the file (WAL switch, migrations) until we know it is a
 * readable SQLite database of a schema version we understand.
 */
function configureAndMigrate(db: Database.Database, displayPath: string, inMemory: boolean): void {
  // Per-connection settings; they do not touch the file.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');

  // better-sqlite3 opens lazily: a garbage file only fails on its first read. These reads parse
  // the header (SQLITE_NOTADB for a non-database) without writing and without creating -wal/-shm
  // files, because SQLite checks the magic header before it looks at the journal mode.
  db.pragma('schema_version', { simple: true });
  const fileVersion = readUserVersion(db);
  if (fileVersion > LATEST_SCHEMA_VERSION) {
    throw new StoreOpenError(
      displayPath,
      `its schema version is ${fileVersion}, but this version of the bot only knows up to ${LATEST_SCHEMA_VERSION}`,
      { advice: 'Update the bot, or move the file; it is never overwritten.' },
    );
  }

  const problems = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const firstProblem = problems[0]?.quick_check;
  if (firstProblem !== 'ok') {
    throw new StoreOpenError(displayPath, `the database is corrupt (${firstProblem ?? 'quick_check returned nothing'})`);
  }

  if (!inMemory) {
    // WAL lets readers and one writer work at the same time, across processes.
    const journalMode = enableWal(db);
    if (journalMode !== 'wal') {
      throw new StoreOpenError(displayPath, `could not switch it to WAL mode (journal mode is "${String(journalMode)}")`);
    }
  }
  // In WAL mode, NORMAL only skips the fsync on each commit. A commit is still written to the
  // -wal file before it returns, so it survives the process crashing or being killed; only an
  // OS crash or power loss can lose the last few commits. That is fine for pins and counters.
  db.pragma('synchronous = NORMAL');

  applyMigrations(db);
}

/** How long to keep trying when processes opening one new file at once race to switch it to WAL. */
const WAL_SWITCH_ATTEMPTS = 100;
const WAL_SWITCH_PAUSE_MS = 20;

/**
 * Switches the file to WAL (a mode the file keeps), unless it already is. Another process doing
 * the same at the same moment makes SQLite answer "busy" at once, whatever the busy timeout: retry.
 */
function enableWal(db: Database.Database): unknown {
  for (let attempt = 1; ; attempt++) {
    try {
      const current = db.pragma('journal_mode', { simple: true });
      return current === 'wal' ? current : db.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
      if (!busy || attempt >= WAL_SWITCH_ATTEMPTS) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_SWITCH_PAUSE_MS);
    }
  }
}

function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function applyMigrations(db: Database.Database): void {
  if (readUserVersion(db) >= LATEST_SCHEMA_VERSION) return;

  for (const migration of MIGRATIONS) {
    const applyOnce = db.transaction(() => {
      // Re-read under the write lock: another process may have applied it in the meantime.
      if (readUserVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      // user_version lives in the file header and is part of this transaction.
      db.pragma(`user_version = ${migration.version}`);
    });
    // IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so two processes
    // opening a fresh file at the same moment migrate one after the other.
    applyOnce.immediate();
  }
}

interface UnansweredRow {
  question: string;
  count: number;
  firstAsked: string;
  lastAsked: string;
}

const PIN_COLUMNS = `
  guild_id            AS guildId,
  channel_id          AS channelId,
  message_id          AS messageId,
  question            AS question,
  answer_key          AS answerKey,
  pinned_by           AS pinnedBy,
  pinned_at           AS pinnedAt`;

/** An AnswerVote as SQLite holds it: no reason or comment is NULL. */
interface VoteRow extends Omit<AnswerVote, 'reason' | 'comment'> {
  reason: VoteReason | null;
  comment: string | null;
}

const VOTE_COLUMNS = `
  guild_id            AS guildId,
  channel_id          AS channelId,
  message_id          AS messageId,
  user_id             AS userId,
  vote                AS vote,
  question            AS question,
  answer_key          AS answerKey,
  report_id           AS reportId,
  reason              AS reason,
  comment             AS comment,
  voted_at            AS votedAt`;

function voteFromRow(row: VoteRow): AnswerVote {
  const { reason, comment, ...rest } = row;
  return { ...rest, ...(reason !== null && { reason }), ...(comment !== null && { comment }) };
}

const TALLY_COLUMNS = `
  count(*) FILTER (WHERE vote = 'up')     AS up,
  count(*) FILTER (WHERE vote = 'down')   AS down`;

/** One answer message's votes; all rows of one message share its channel, question, answer and report. */
const VOTED_ANSWER_COLUMNS = `
  guild_id            AS guildId,
  max(channel_id)     AS channelId,
  message_id          AS messageId,
  max(question)       AS question,
  max(answer_key)     AS answerKey,
  max(report_id)      AS reportId,
  ${TALLY_COLUMNS},
  max(voted_at)       AS lastVotedAt,
  count(*) FILTER (WHERE vote = 'down' AND reason = 'wrong-passage')   AS wrongPassage,
  count(*) FILTER (WHERE vote = 'down' AND reason = 'not-in-report')   AS notInReport,
  count(*) FILTER (WHERE vote = 'down' AND reason = 'other')           AS other,
  json_group_array(comment ORDER BY voted_at DESC, user_id ASC)
    FILTER (WHERE vote = 'down' AND trim(comment) <> '')               AS comments`;

/** A VotedAnswer as the query returns it: the reasons counted in columns, the comments as JSON. */
interface VotedAnswerRow extends Omit<VotedAnswer, 'reasons' | 'comments'> {
  wrongPassage: number;
  notInReport: number;
  other: number;
  /** JSON array of the comments, newest first. */
  comments: string;
}

function votedAnswerFromRow(row: VotedAnswerRow): VotedAnswer {
  const { wrongPassage, notInReport, other, comments, ...rest } = row;
  return {
    ...rest,
    reasons: { 'wrong-passage': wrongPassage, 'not-in-report': notInReport, other },
    comments: (JSON.parse(comments) as string[]).slice(0, COMMENTS_PER_ANSWER),
  };
}

/** A pin with the votes on its message (any time). */
const PIN_WITH_TALLY_COLUMNS = `${PIN_COLUMNS},
  (SELECT count(*) FROM answer_votes AS v
    WHERE v.guild_id = pinned_answers.guild_id AND v.message_id = pinned_answers.message_id AND v.vote = 'up')   AS up,
  (SELECT count(*) FROM answer_votes AS v
    WHERE v.guild_id = pinned_answers.guild_id AND v.message_id = pinned_answers.message_id AND v.vote = 'down') AS down`;

/** Timestamps are compared as text: always store them as `toISOString` writes them. */
function isoTimestamp(value: string | Date): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString();
}

function createStore(db: Database.Database, unansweredLimit: number): BotStore {
  const insertPin = db.prepare<PinnedAnswer>(`
    INSERT INTO pinned_answers
      (guild_id, channel_id, message_id, question, answer_key, pinned_by, pinned_at)
    VALUES
      (@guildId, @channelId, @messageId, @question, @answerKey, @pinnedBy, @pinnedAt)
    ON CONFLICT (guild_id, message_id) DO NOTHING`);
  const deletePin = db.prepare<[string, string]>(`DELETE FROM pinned_answers WHERE guild_id = ? AND message_id = ?`);
  const selectPin = db.prepare<[string, string], PinnedAnswer>(
    `SELECT ${PIN_COLUMNS} FROM pinned_answers WHERE guild_id = ? AND message_id = ?`,
  );
  // id breaks ties between pins with the same timestamp: later insert = newer.
  const selectPinsNewestFirst = db.prepare<[string], PinnedAnswer>(
    `SELECT ${PIN_COLUMNS} FROM pinned_answers WHERE guild_id = ? ORDER BY pinned_at DESC, id DESC`,
  );
  // One statement, so concurrent processes cannot lose an increment. min/max rather than plain
  // assignment because asks recorded by several processes can arrive slightly out of order
  // (ISO timestamps in UTC compare correctly as text).
  const upsertUnanswered = db.prepare<{ guildId: string; question: string; at: string }>(`
    INSERT INTO unanswered_questions (guild_id, question, count, first_asked, last_asked)
    VALUES (@guildId, @question, 1, @at, @at)
    ON CONFLICT (guild_id, question) DO UPDATE SET
      count       = count + 1,
      first_asked = min(first_asked, excluded.first_asked),
      last_asked  = max(last_asked, excluded.last_asked)`);
  // Beyond the limit, the least recently asked questions go (the newest ask of the moment stays).
  const trimUnanswered = db.prepare<{ guildId: string; limit: number }>(`
    DELETE FROM unanswered_questions
    WHERE guild_id = @guildId AND question IN (
      SELECT question FROM unanswered_questions WHERE guild_id = @guildId
      ORDER BY last_asked DESC, question ASC LIMIT -1 OFFSET @limit
    )`);
  const recordAndTrim = db.transaction((guildId: string, question: string, at: string) => {
    upsertUnanswered.run({ guildId, question, at });
    trimUnanswered.run({ guildId, limit: unansweredLimit });
  });
  const selectUnanswered = db.prepare<[string, number], UnansweredRow>(`
    SELECT question, count, first_asked AS firstAsked, last_asked AS lastAsked
    FROM unanswered_questions
    WHERE guild_id = ?
    ORDER BY count DESC, last_asked DESC, question ASC
    LIMIT ?`);

  const upsertDefault = db.prepare<{ guildId: string; channelId: string; reportId: string; setBy: string; at: string }>(`
    INSERT INTO default_reports (guild_id, channel_id, report_id, set_by, set_at)
    VALUES (@guildId, @channelId, @reportId, @setBy, @at)
    ON CONFLICT (guild_id, channel_id) DO UPDATE SET report_id = excluded.report_id, set_by = excluded.set_by, set_at = excluded.set_at`);
  const deleteDefault = db.prepare<[string, string]>(`DELETE FROM default_reports WHERE guild_id = ? AND channel_id = ?`);
  const selectDefaults = db.prepare<[string, string], { channelId: string; reportId: string }>(
    `SELECT channel_id AS channelId, report_id AS reportId FROM default_reports WHERE guild_id = ? AND channel_id IN (?, '')`,
  );

  // A changed vote loses the old reason and comment; the same vote again keeps them unless it
  // brings its own. Every SET expression reads the row as it was (SQL evaluates them together).
  const upsertVote = db.prepare<VoteRow>(`
    INSERT INTO answer_votes
      (guild_id, channel_id, message_id, user_id, vote, question, answer_key, report_id, reason, comment, voted_at)
    VALUES
      (@guildId, @channelId, @messageId, @userId, @vote, @question, @answerKey, @reportId, @reason, @comment, @votedAt)
    ON CONFLICT (guild_id, message_id, user_id) DO UPDATE SET
      channel_id = excluded.channel_id,
      question   = excluded.question,
      answer_key = excluded.answer_key,
      report_id  = excluded.report_id,
      reason     = CASE WHEN vote = excluded.vote AND excluded.reason IS NULL AND excluded.comment IS NULL
                     THEN reason ELSE excluded.reason END,
      comment    = CASE WHEN vote = excluded.vote AND excluded.reason IS NULL AND excluded.comment IS NULL
                     THEN comment ELSE excluded.comment END,
      voted_at   = CASE WHEN vote = excluded.vote THEN max(voted_at, excluded.voted_at) ELSE excluded.voted_at END,
      vote       = excluded.vote`);
  const deleteVote = db.prepare<[string, string, string]>(`DELETE FROM answer_votes WHERE guild_id = ? AND message_id = ? AND user_id = ?`);
  const selectVote = db.prepare<[string, string, string], VoteRow>(
    `SELECT ${VOTE_COLUMNS} FROM answer_votes WHERE guild_id = ? AND message_id = ? AND user_id = ?`,
  );
  const explainDownVote = db.prepare<{ guildId: string; messageId: string; userId: string; reason: string; comment: string | null }>(`
    UPDATE answer_votes SET reason = @reason, comment = @comment
    WHERE guild_id = @guildId AND message_id = @messageId AND user_id = @userId AND vote = 'down'`);
  const selectTally = db.prepare<[string, string], VoteTally>(
    `SELECT ${TALLY_COLUMNS} FROM answer_votes WHERE guild_id = ? AND message_id = ?`,
  );
  const writeVoteAndTally = db.transaction((vote: VoteRow): VoteTally => {
    upsertVote.run(vote);
    return selectTally.get(vote.guildId, vote.messageId)!;
  });
  const removeVoteAndTally = db.transaction((guildId: string, messageId: string, userId: string): VoteTally => {
    deleteVote.run(guildId, messageId, userId);
    return selectTally.get(guildId, messageId)!;
  });
  // Ties: the most recently voted first, then by message id so the order is stable.
  const selectUpvoted = db.prepare<[string, number], VotedAnswerRow>(`
    SELECT ${VOTED_ANSWER_COLUMNS}
    FROM answer_votes
    WHERE guild_id = ?
    GROUP BY guild_id, message_id
    HAVING up > down
    ORDER BY up - down DESC, lastVotedAt DESC, messageId ASC
    LIMIT ?`);

  const upsertAsked = db.prepare<{ guildId: string; question: string; day: string; declined: number; at: string }>(`
    INSERT INTO asked_questions (guild_id, question, day, asked, declined, last_asked)
    VALUES (@guildId, @question, @day, 1, @declined, @at)
    ON CONFLICT (guild_id, question, day) DO UPDATE SET
      asked      = asked + 1,
      declined   = declined + excluded.declined,
      last_asked = max(last_asked, excluded.last_asked)`);

  type PeriodParams = { guildId: string; since: string; day: string; limit: number };
  const selectMostAsked = db.prepare<PeriodParams, AskedQuestion>(`
    SELECT question, sum(asked) AS count, sum(declined) AS declined
    FROM asked_questions
    WHERE guild_id = @guildId AND day >= @day
    GROUP BY question
    ORDER BY count DESC, max(last_asked) DESC, question ASC
    LIMIT @limit`);
  const selectDeclined = db.prepare<PeriodParams, AskedQuestion>(`
    SELECT question, sum(asked) AS count, sum(declined) AS declined
    FROM asked_questions
    WHERE guild_id = @guildId AND day >= @day
    GROUP BY question
    HAVING sum(declined) > 0
    ORDER BY declined DESC, max(last_asked) DESC, question ASC
    LIMIT @limit`);
  // The message's whole tally, for the messages given a 👎 in the period.
  const selectUnhelpful = db.prepare<PeriodParams, VotedAnswerRow>(`
    SELECT ${VOTED_ANSWER_COLUMNS}
    FROM answer_votes
    WHERE guild_id = @guildId AND message_id IN (
      SELECT message_id FROM answer_votes WHERE guild_id = @guildId AND vote = 'down' AND voted_at >= @since
    )
    GROUP BY guild_id, message_id
    ORDER BY down DESC, lastVotedAt DESC, messageId ASC
    LIMIT @limit`);
  const selectPinsSince = db.prepare<PeriodParams, PinnedAnswer & VoteTally>(`
    SELECT ${PIN_WITH_TALLY_COLUMNS}
    FROM pinned_answers
    WHERE guild_id = @guildId AND pinned_at >= @since
    ORDER BY pinned_at DESC, id DESC
    LIMIT @limit`);
  const selectFlaggedPins = db.prepare<{ guildId: string; flagAfter: number; limit: number }, PinnedAnswer & VoteTally & { id?: number }>(`
    SELECT * FROM (
      SELECT ${PIN_WITH_TALLY_COLUMNS}, id
      FROM pinned_answers
      WHERE guild_id = @guildId
    )
    WHERE down >= @flagAfter AND down > up
    ORDER BY down DESC, pinnedAt DESC, id DESC
    LIMIT @limit`);
  const readInsights = db.transaction((params: PeriodParams, flagAfter: number) => ({
    mostAsked: selectMostAsked.all(params),
    declined: selectDeclined.all(params),
    unhelpful: selectUnhelpful.all(params).map(votedAnswerFromRow),
    pins: selectPinsSince.all(params),
    flaggedPins: selectFlaggedPins.all({ guildId: params.guildId, flagAfter, limit: params.limit }).map(({ id: _id, ...pin }) => pin),
  }));

  // A save that arrives late (another process, an older answer) does not replace a newer context.
  const upsertConversation = db.prepare<{ key: string; context: string; at: string }>(`
    INSERT INTO conversations (key, context, updated_at) VALUES (@key, @context, @at)
    ON CONFLICT (key) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at
    WHERE excluded.updated_at >= updated_at`);
  const selectConversation = db.prepare<[string, string], { context: string }>(
    `SELECT context FROM conversations WHERE key = ? AND updated_at >= ?`,
  );
  const deleteConversationsBefore = db.prepare<[string]>(`DELETE FROM conversations WHERE updated_at < ?`);

  const upsertSetting = db.prepare<{ guildId: string; name: string; value: string; setBy: string; at: string }>(`
    INSERT INTO guild_settings (guild_id, name, value, set_by, set_at)
    VALUES (@guildId, @name, @value, @setBy, @at)
    ON CONFLICT (guild_id, name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`);
  const deleteSetting = db.prepare<[string, string]>(`DELETE FROM guild_settings WHERE guild_id = ? AND name = ?`);
  const selectSetting = db.prepare<[string, string], { value: string }>(`SELECT value FROM guild_settings WHERE guild_id = ? AND name = ?`);

  const ping = db.prepare('SELECT 1');

  return {
    kind: 'sqlite',

    async recordPin(pin) {
      // Copy only the known fields: better-sqlite3 binds by name, extra properties are noise.
      const result = insertPin.run({
        guildId: pin.guildId,
        channelId: pin.channelId,
        messageId: pin.messageId,
        question: pin.question,
        answerKey: pin.answerKey,
        pinnedBy: pin.pinnedBy,
        pinnedAt: pin.pinnedAt,
      });
      return { created: result.changes === 1 };
    },

    async removePin(guildId, messageId) {
      return deletePin.run(guildId, messageId).changes > 0;
    },

    async getPin(guildId, messageId) {
      return selectPin.get(guildId, messageId);
    },

    async listPins(guildId) {
      return selectPinsNewestFirst.all(guildId);
    },

    async recordUnanswered(guildId, normalizedQuestion, at) {
      recordAndTrim(guildId, normalizedQuestion, at.toISOString());
    },

    async listUnanswered(guildId, limit): Promise<UnansweredQuestion[]> {
      checkLimit('limit', limit);
      return selectUnanswered.all(guildId, limit);
    },

    async setDefaultReport(guildId, channelId, reportId, setBy, at) {
      if (reportId === null) deleteDefault.run(guildId, channelId ?? '');
      else upsertDefault.run({ guildId, channelId: channelId ?? '', reportId, setBy, at: at.toISOString() });
    },

    async getDefaultReports(guildId, channelId) {
      const rows = selectDefaults.all(guildId, channelId ?? '');
      const channel = channelId ? rows.find((row) => row.channelId === channelId)?.reportId : undefined;
      const server = rows.find((row) => row.channelId === '')?.reportId;
      return { ...(channel && { channel }), ...(server && { server }) };
    },

    async recordVote(vote) {
      checkVote(vote);
      const down = vote.vote === 'down';
      // Copy only the known fields; only a down vote keeps a reason or comment.
      return writeVoteAndTally({
        guildId: vote.guildId,
        channelId: vote.channelId,
        messageId: vote.messageId,
        userId: vote.userId,
        vote: vote.vote,
        question: vote.question,
        answerKey: vote.answerKey,
        reportId: vote.reportId,
        reason: down ? (vote.reason ?? null) : null,
        comment: down ? (vote.comment ?? null) : null,
        votedAt: isoTimestamp(vote.votedAt),
      });
    },

    async removeVote(guildId, messageId, userId) {
      return removeVoteAndTally(guildId, messageId, userId);
    },

    async getVote(guildId, messageId, userId) {
      const row = selectVote.get(guildId, messageId, userId);
      return row ? voteFromRow(row) : undefined;
    },

    async explainVote(guildId, messageId, userId, reason, comment) {
      checkReason(reason);
      return explainDownVote.run({ guildId, messageId, userId, reason, comment }).changes > 0;
    },

    async tallyVotes(guildId, messageId) {
      return selectTally.get(guildId, messageId)!;
    },

    async listUpvotedAnswers(guildId, limit) {
      checkLimit('limit', limit);
      return selectUpvoted.all(guildId, limit).map(votedAnswerFromRow);
    },

    async recordAsked(guildId, normalizedQuestion, answered, at) {
      const iso = at.toISOString();
      upsertAsked.run({ guildId, question: normalizedQuestion, day: iso.slice(0, 10), declined: answered ? 0 : 1, at: iso });
    },

    async insights(guildId, since, { limit, flagAfterDownVotes }) {
      checkLimit('limit', limit);
      checkLimit('flagAfterDownVotes', flagAfterDownVotes);
      const iso = since.toISOString();
      return readInsights({ guildId, since: iso, day: iso.slice(0, 10), limit }, flagAfterDownVotes);
    },

    async saveConversation(key, context, at) {
      upsertConversation.run({ key, context, at: at.toISOString() });
    },

    async loadConversation(key, notBefore) {
      return selectConversation.get(key, notBefore.toISOString())?.context;
    },

    async forgetConversations(before) {
      return deleteConversationsBefore.run(before.toISOString()).changes;
    },

    async setGuildSetting(guildId, name, value, setBy, at) {
      if (value === null) deleteSetting.run(guildId, name);
      else upsertSetting.run({ guildId, name, value, setBy, at: at.toISOString() });
    },

    async getGuildSetting(guildId, name) {
      return selectSetting.get(guildId, name)?.value;
    },

    async health() {
      try {
        ping.get();
        return { ok: true, kind: 'sqlite' };
      } catch (error) {
        return { ok: false, kind: 'sqlite', problem: describeError(error) };
      }
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
