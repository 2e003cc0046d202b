/**
 * Ordered schema migrations for the PostgreSQL store.
 *
 * The applied versions live in `schema_migrations`. Migration N brings a database from version
 * N-1 to N. Never edit a migration that has shipped: databases in the wild already ran it. Append
 * a new one instead. The PostgreSQL store starts at the SQLite store's schema version 3, so its
 * first migration creates all of it at once; version 2 matches the SQLite store's version 4.
 */
import type { Migration } from './migrations.ts';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'pinned answers, unanswered-question counters, default reports (the SQLite schema at its version 3)',
    sql: `
      CREATE TABLE pinned_answers (
        id          BIGSERIAL PRIMARY KEY,
        guild_id    TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        question    TEXT NOT NULL,
        answer_key  TEXT NOT NULL,
        pinned_by   TEXT NOT NULL,
        pinned_at   TIMESTAMPTZ NOT NULL,
        -- One pin per Discord message: two replicas handling the same click leave one row.
        UNIQUE (guild_id, message_id)
      );
      CREATE INDEX pinned_answers_by_guild_newest ON pinned_answers (guild_id, pinned_at DESC, id DESC);

      -- No user ids on purpose (privacy): only the text, how often and when.
      CREATE TABLE unanswered_questions (
        guild_id     TEXT NOT NULL,
        question     TEXT NOT NULL,
        count        INTEGER NOT NULL CHECK (count >= 1),
        first_asked  TIMESTAMPTZ NOT NULL,
        last_asked   TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, question)
      );
      CREATE INDEX unanswered_questions_by_popularity ON unanswered_questions (guild_id, count DESC, last_asked DESC);
      CREATE INDEX unanswered_questions_by_recency ON unanswered_questions (guild_id, last_asked DESC);

      -- channel_id '' is the server's default; a channel's own row comes first.
      CREATE TABLE default_reports (
        guild_id    TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        report_id   TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, channel_id)
      );
    `,
  },
  {
    version: 2,
    description: 'votes on answers, questions asked per day, conversation contexts, server settings (the SQLite schema at its version 4)',
    sql: `
      -- One vote per member per answer message: two replicas handling the same click leave one row.
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
        voted_at    TIMESTAMPTZ NOT NULL,
        -- Only a down vote is explained.
        CHECK (vote = 'down' OR (reason IS NULL AND comment IS NULL)),
        PRIMARY KEY (guild_id, message_id, user_id)
      );
      -- /insights reads the votes of a period.
      CREATE INDEX answer_votes_by_guild_time ON answer_votes (guild_id, voted_at);

      -- No user ids on purpose (privacy): only the text and how often per UTC day.
      CREATE TABLE asked_questions (
        guild_id    TEXT NOT NULL,
        question    TEXT NOT NULL,
        day         DATE NOT NULL,
        asked       INTEGER NOT NULL CHECK (asked >= 1),
        declined    INTEGER NOT NULL CHECK (declined >= 0 AND declined <= asked),
        last_asked  TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, question, day)
      );

      -- What a conversation's last answer was about (opaque JSON), forgotten after a while.
      CREATE TABLE conversations (
        key         TEXT PRIMARY KEY,
        context     TEXT NOT NULL,
        updated_at  TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX conversations_by_age ON conversations (updated_at);

      CREATE TABLE guild_settings (
        guild_id    TEXT NOT NULL,
        name        TEXT NOT NULL,
        value       TEXT NOT NULL,
        set_by      TEXT NOT NULL,
        set_at      TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, name)
      );
    `,
  },
];

export const LATEST_POSTGRES_VERSION: number = POSTGRES_MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);
