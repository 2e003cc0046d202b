/**
 * Storage contract for the bot, with two implementations: SQLite (one machine, the default) and
 * PostgreSQL (several processes or machines). Everything is Promise-based for the server database.
 */

/** An answer a moderator pinned because it answered a question well. */
export interface PinnedAnswer {
  guildId: string;
  channelId: string;
  messageId: string;
  /** The question as the user asked it. */
  question: string;
  /** Which passage or fact answered, e.g. "westminster-attack/p7". */
  answerKey: string;
  /** User id of the moderator who pinned it. */
  pinnedBy: string;
  /** ISO 8601 timestamp in UTC (as produced by `Date.prototype.toISOString`). */
  pinnedAt: string;
}

/**
 * A question the bot could not answer, aggregated per guild.
 * Deliberately holds no user ids (privacy): only the text and when/how often it was asked.
 */
export interface UnansweredQuestion {
  /** Normalised question text. */
  question: string;
  count: number;
  /** ISO 8601 timestamp of the earliest ask. */
  firstAsked: string;
  /** ISO 8601 timestamp of the latest ask. */
  lastAsked: string;
}

/** The report a server, or one of its channels, asks about first. */
export interface DefaultReports {
  /** The channel's own choice, if a moderator made one. */
  channel?: string;
  /** The server's choice, for channels without their own. */
  server?: string;
}

/** The store could not be reached (a database server down or restarting): the operation was not done. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** What `/healthz` and the logs say about the store. */
export type StoreHealth = { ok: true; kind: StoreKind } | { ok: false; kind: StoreKind; problem: string };
export type StoreKind = 'sqlite' | 'postgres';

export interface BotStore {
  readonly kind: StoreKind;
  /** Records a pin; idempotent on (guildId, messageId): returns created=false if already recorded. */
  recordPin(pin: PinnedAnswer): Promise<{ created: boolean }>;
  /** Returns true if a pin was removed, false if there was none. */
  removePin(guildId: string, messageId: string): Promise<boolean>;
  getPin(guildId: string, messageId: string): Promise<PinnedAnswer | undefined>;
  /** Pins of one guild, newest first. */
  listPins(guildId: string): Promise<PinnedAnswer[]>;
  /** Upsert: count + 1 and lastAsked = at (the first ask also sets firstAsked). */
  recordUnanswered(guildId: string, normalizedQuestion: string, at: Date): Promise<void>;
  /** Most asked first, then most recently asked. */
  listUnanswered(guildId: string, limit: number): Promise<UnansweredQuestion[]>;
  /** Sets (or with reportId null clears) the default report of a server (channelId null) or one channel. */
  setDefaultReport(guildId: string, channelId: string | null, reportId: string | null, setBy: string, at: Date): Promise<void>;
  getDefaultReports(guildId: string, channelId: string | null): Promise<DefaultReports>;
  /** A cheap round trip to the database; never throws. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
