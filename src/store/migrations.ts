/**
 * Ordered schema migrations for the SQLite store.
 *
 * The schema version lives in `PRAGMA user_version`. Migration N brings a database from
 * version N-1 to version N. Never edit a migration that has shipped: databases in the wild
 * already ran it. Append a new one instead.
 */

export interface Migration {
  /** The user_version the database has after this migration ran. */
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'pinned answers (first release, no normalised question yet)',
    sql: `
      CREATE TABLE pinned_answers (
        id          INTEGER PRIMARY KEY,
        guild_id    TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        question    TEXT NOT NULL,
        answer_key  TEXT NOT NULL,
        pinned_by   TEXT NOT NULL,
        pinned_at   TEXT NOT NULL,
        -- One pin per Discord message; recordPin relies on this for idempotency.
        UNIQUE (guild_id, message_id)
      );
    `,
  },
  {
    version: 2,
    description: 'normalised question on pins, unanswered-question counters, listing indexes',
    sql: `
      ALTER TABLE pinned_answers ADD COLUMN normalized_question TEXT NOT NULL DEFAULT '';

      -- Pins made before v2 have no normalised form. Lower-case trimmed text is a
      -- best-effort stand-in so they still match the common case.
      UPDATE pinned_answers SET normalized_question = lower(trim(question));

      CREATE INDEX pinned_answers_by_guild_newest
        ON pinned_answers (guild_id, pinned_at DESC, id DESC);
      CREATE INDEX pinned_answers_by_guild_question
        ON pinned_answers (guild_id, normalized_question);

      -- No user ids on purpose (privacy): only the text, how often and when.
      CREATE TABLE unanswered_questions (
        guild_id     TEXT NOT NULL,
        question     TEXT NOT NULL,
        count        INTEGER NOT NULL CHECK (count >= 1),
        first_asked  TEXT NOT NULL,
        last_asked   TEXT NOT NULL,
        PRIMARY KEY (guild_id, question)
      ) WITHOUT ROWID;
      CREATE INDEX unanswered_questions_by_popularity
        ON unanswered_questions (guild_id, count DESC, last_asked DESC);
    `,
  },
  {
    version: 3,
    description: 'default reports per server and per channel; the unanswered log by recency; pins lose the unused normalised question',
    sql: `
      -- channel_id '' is the server's default; a channel's own row comes first.
      CREATE TABLE default_reports (
        guild_id    TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        report_id   TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      TEXT NOT NULL,
        PRIMARY KEY (guild_id, channel_id)
      ) WITHOUT ROWID;

      -- Pins are matched on their question as asked (typo-corrected, stemmed); the v2 normalised
      -- copy was written and never read.
      DROP INDEX pinned_answers_by_guild_question;
      ALTER TABLE pinned_answers DROP COLUMN normalized_question;

      -- The unanswered log is capped per server: the least recently asked go first.
      CREATE INDEX unanswered_questions_by_recency
        ON unanswered_questions (guild_id, last_asked DESC);
    `,
  },
  {
    version: 4,
    description: 'votes on answers, questions asked per day, conversation contexts, server settings',
    sql: `
      -- One vote per member per answer message; recordVote upserts on the key.
      CREATE TABLE answer_votes (
        guild_id    TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        vote        TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        question    TEXT NOT NULL,
        answer_key  TEXT NOT NULL,
        report_id   TEXT NOT NULL,
        reason      TEXT CHECK (reason IN ('wrong-passage', 'not-in-report', 'other')),
        comment     TEXT,
        voted_at    TEXT NOT NULL,
        -- Only a down vote is explained.
        CHECK (vote = 'down' OR (reason IS NULL AND comment IS NULL)),
        PRIMARY KEY (guild_id, message_id, user_id)
      ) WITHOUT ROWID;
      -- /insights reads the votes of a period.
      CREATE INDEX answer_votes_by_guild_time ON answer_votes (guild_id, voted_at);

      -- No user ids on purpose (privacy): only the text and how often per UTC day ('YYYY-MM-DD').
      CREATE TABLE asked_questions (
        guild_id    TEXT NOT NULL,
        question    TEXT NOT NULL,
        day         TEXT NOT NULL,
        asked       INTEGER NOT NULL CHECK (asked >= 1),
        declined    INTEGER NOT NULL CHECK (declined >= 0 AND declined <= asked),
        last_asked  TEXT NOT NULL,
        PRIMARY KEY (guild_id, question, day)
      ) WITHOUT ROWID;

      -- What a conversation's last answer was about (opaque JSON), forgotten after a while.
      CREATE TABLE conversations (
        key         TEXT PRIMARY KEY,
        context     TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX conversations_by_age ON conversations (updated_at);

      CREATE TABLE guild_settings (
        guild_id    TEXT NOT NULL,
        name        TEXT NOT NULL,
        value       TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      TEXT NOT NULL,
        PRIMARY KEY (guild_id, name)
      ) WITHOUT ROWID;
    `,
  },
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);
