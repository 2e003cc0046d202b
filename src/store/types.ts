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

/** A member's verdict on one answer message: one per member per message, changeable. */
export type VoteValue = 'up' | 'down';
/** What was wrong, from the 👎 modal. */
export type VoteReason = 'wrong-passage' | 'not-in-report' | 'other';
export const VOTE_REASONS: readonly VoteReason[] = ['wrong-passage', 'not-in-report', 'other'];

export interface AnswerVote {
  guildId: string;
  channelId: string;
  /** The answer message voted on. */
  messageId: string;
  userId: string;
  vote: VoteValue;
  /** The question as asked, read from the answer. */
  question: string;
  /** The passage that answered, e.g. "westminster-attack/p7". */
  answerKey: string;
  reportId: string;
  /** Only on a down vote, once the modal was sent. */
  reason?: VoteReason;
  comment?: string;
  /** ISO 8601 UTC. */
  votedAt: string;
}

export interface VoteTally {
  up: number;
  down: number;
}

/** One answer message and its votes, for /insights and for ranking upvoted answers. */
export interface VotedAnswer extends VoteTally {
  guildId: string;
  channelId: string;
  messageId: string;
  question: string;
  answerKey: string;
  reportId: string;
  /** ISO 8601 of the latest vote. */
  lastVotedAt: string;
  /** How many down votes gave each reason, and the texts given (newest first, at most 5). */
  reasons: Record<VoteReason, number>;
  comments: string[];
}

/** How often a question was asked in a period, and how often it was declined (no user ids: privacy). */
export interface AskedQuestion {
  question: string;
  count: number;
  declined: number;
}

/** What /insights shows for a period. */
export interface Insights {
  /** Most asked first (ties: most recently asked first). */
  mostAsked: AskedQuestion[];
  /** Questions declined in the period, most declined first. */
  declined: AskedQuestion[];
  /** Answers with at least one 👎 voted in the period, most 👎 first. */
  unhelpful: VotedAnswer[];
  /** Pins made in the period, newest first, each with its votes (any time). */
  pins: Array<PinnedAnswer & VoteTally>;
  /** Pins (made any time) with at least `flagAfterDownVotes` 👎 and more 👎 than 👍. */
  flaggedPins: Array<PinnedAnswer & VoteTally>;
}

/** A server-wide setting a moderator chose. */
export type GuildSettingName = 'thread-replies';

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
  /** Upsert on (guildId, messageId, userId); a changed vote loses the old reason and comment. Returns the message's tally. */
  recordVote(vote: AnswerVote): Promise<VoteTally>;
  /** Removes a member's vote (a second click on the same button); returns the message's tally. */
  removeVote(guildId: string, messageId: string, userId: string): Promise<VoteTally>;
  getVote(guildId: string, messageId: string, userId: string): Promise<AnswerVote | undefined>;
  /** Adds the modal's reason to the member's 👎 on the message; false when they have no 👎 there. */
  explainVote(guildId: string, messageId: string, userId: string, reason: VoteReason, comment: string | null): Promise<boolean>;
  tallyVotes(guildId: string, messageId: string): Promise<VoteTally>;
  /** Answer messages with more 👍 than 👎, most net 👍 first: they lead the answers to the same question after pins. */
  listUpvotedAnswers(guildId: string, limit: number): Promise<VotedAnswer[]>;
  /** Counts a question asked (answered or not) in the day of `at`, for /insights. */
  recordAsked(guildId: string, normalizedQuestion: string, answered: boolean, at: Date): Promise<void>;
  insights(guildId: string, since: Date, options: { limit: number; flagAfterDownVotes: number }): Promise<Insights>;
  /** Keeps what a conversation's last answer was about (opaque JSON) under a key; one row per key. */
  saveConversation(key: string, context: string, at: Date): Promise<void>;
  /** The conversation's context if it was saved at or after `notBefore`. */
  loadConversation(key: string, notBefore: Date): Promise<string | undefined>;
  /** Deletes conversations saved before `before`; returns how many. */
  forgetConversations(before: Date): Promise<number>;
  setGuildSetting(guildId: string, name: GuildSettingName, value: string | null, setBy: string, at: Date): Promise<void>;
  getGuildSetting(guildId: string, name: GuildSettingName): Promise<string | undefined>;
  /** A cheap round trip to the database; never throws. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
