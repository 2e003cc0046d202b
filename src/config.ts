import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_KNOWLEDGE_DIR } from './core/knowledge/load.ts';
import type { LogLevel } from './logger.ts';
import { POSTGRES_DEFAULTS } from './store/postgres-store.ts';

/**
 * All configuration, read and validated once. No other module reads process.env.
 * Every problem names the key and says how to fix it; the token is never echoed.
 */
export interface Config {
  discordToken: string | undefined;
  applicationId: string | undefined;
  guildId: string | undefined;
  /** REST base without the version, e.g. "https://discord.com/api" or a fake Discord in tests. */
  apiUrl: string;
  publicKey: string | undefined;
  port: number;
  /** Address the HTTP interactions endpoint listens on; 127.0.0.1 behind a reverse proxy. */
  host: string;
  databasePath: string;
  /** DATABASE_URL: a PostgreSQL server instead of the SQLite file, for several processes or machines. */
  database: DatabaseSettings | undefined;
  /** HTTP interactions worker processes sharing the port (WORKERS; 'auto' is one per core). */
  workers: number;
  /** Gateway shards: 'auto' takes Discord's recommendation (SHARDS). */
  shards: number | 'auto';
  /** The shards this process runs (SHARD_IDS), when several processes or machines split them; default all. */
  shardIds: number[] | undefined;
  /** The most distinct unanswered questions kept per server; the least recently asked go first. */
  unansweredLimit: number;
  logLevel: LogLevel;
  /** LOG_LEVEL was set: the console then shows its logs even on a terminal. */
  logLevelSet: boolean;
  /** The folder of report folders (KNOWLEDGE_DIR, default ./knowledge). */
  knowledgeDir: string;
  /** MESSAGE_CONTENT_INTENT: ask the gateway for every message's text, so threads can answer messages without a mention. */
  messageContentIntent: boolean;
}

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectTimeoutMs: number;
}

export const DEFAULT_API_URL = 'https://discord.com/api';
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_DATABASE_PATH = './data/bot.sqlite';
export const DEFAULT_UNANSWERED_LIMIT = 1000;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Configuration problem${problems.length === 1 ? '' : 's'} (see .env.example):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * Ed25519 public keys of small order (and their non-canonical encodings), libsodium's blocklist:
 * with one of them, a signature check passes for forged messages a good share of the time.
 */
const SMALL_ORDER_KEYS: ReadonlySet<string> = new Set([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  '0100000000000000000000000000000000000000000000000000000000000080',
]);
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** A bot token is three dot-separated base64url parts; the first encodes the bot's user id. */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0];
  if (!first) return undefined;
  const decoded = Buffer.from(first, 'base64url').toString('utf8');
  return SNOWFLAKE.test(decoded) ? decoded : undefined;
}

/** Where the report folders are: KNOWLEDGE_DIR, or `knowledge/` at the project root. Every tool reads it here. */
export function readKnowledgeDir(env: Record<string, string | undefined>): string {
  const value = env.KNOWLEDGE_DIR?.trim();
  return value ? path.resolve(value) : DEFAULT_KNOWLEDGE_DIR;
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const value = (key: string): string | undefined => {
    const raw = env[key]?.trim();
    return raw ? raw : undefined;
  };

  const discordToken = value('DISCORD_TOKEN');
  if (discordToken !== undefined && !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(discordToken)) {
    problems.push(
      'DISCORD_TOKEN does not look like a bot token (three parts separated by dots). Copy it again from the Developer Portal → Bot → Reset Token, or remove the line to use the local console.',
    );
  }

  let applicationId = value('DISCORD_APPLICATION_ID');
  if (applicationId !== undefined && !SNOWFLAKE.test(applicationId)) {
    problems.push(
      `DISCORD_APPLICATION_ID must be the application's id (17-20 digits), got "${applicationId}". Find it in the Developer Portal → General Information.`,
    );
    applicationId = undefined;
  }
  applicationId ??= discordToken ? applicationIdFromToken(discordToken) : undefined;

  const guildId = value('DISCORD_GUILD_ID');
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) {
    problems.push(
      `DISCORD_GUILD_ID must be a server id (17-20 digits), got "${guildId}". With Developer Mode on, right-click the server → Copy Server ID; or remove the line to register commands globally.`,
    );
  }

  const apiUrl = (value('DISCORD_API_URL') ?? DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    problems.push(`DISCORD_API_URL must be an http(s) URL such as ${DEFAULT_API_URL}, got "${apiUrl}".`);
  } else if (/\/v\d+$/.test(apiUrl)) {
    problems.push(
      `DISCORD_API_URL must not end with a version ("${apiUrl}"): the version is added by the client. Use e.g. ${DEFAULT_API_URL}.`,
    );
  }

  const publicKey = value('DISCORD_PUBLIC_KEY');
  if (publicKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(publicKey)) {
    problems.push('DISCORD_PUBLIC_KEY must be the 64 hex characters shown in the Developer Portal → General Information → Public Key.');
  } else if (publicKey !== undefined && SMALL_ORDER_KEYS.has(publicKey.toLowerCase())) {
    problems.push(
      'DISCORD_PUBLIC_KEY is not a real public key (a point of small order: forged signatures would pass). Copy it again from the Developer Portal → General Information → Public Key.',
    );
  }

  const portText = value('PORT');
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${portText}".`);
  }

  const host = value('HOST') ?? DEFAULT_HOST;
  if (!/^[\w.:-]+$/.test(host)) problems.push(`HOST must be an address to listen on, such as 0.0.0.0 or 127.0.0.1, got "${host}".`);

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value('LOG_LEVEL')}".`);
  }

  const databasePath = value('DATABASE_PATH') ?? DEFAULT_DATABASE_PATH;

  const unansweredText = value('UNANSWERED_LIMIT');
  const unansweredLimit = unansweredText === undefined ? DEFAULT_UNANSWERED_LIMIT : Number(unansweredText);
  if (!Number.isInteger(unansweredLimit) || unansweredLimit < 1) {
    problems.push(
      `UNANSWERED_LIMIT must be a whole number of questions above 0 (default ${DEFAULT_UNANSWERED_LIMIT}), got "${unansweredText}".`,
    );
  }

  const database = readDatabaseSettings(value, problems);
  const workers = readWorkers(value('WORKERS'), problems);
  const { shards, shardIds } = readShards(value('SHARDS'), value('SHARD_IDS'), problems);

  const intentText = value('MESSAGE_CONTENT_INTENT')?.toLowerCase();
  if (intentText !== undefined && !['true', 'false', '1', '0'].includes(intentText))
    problems.push(`MESSAGE_CONTENT_INTENT must be true or false, got "${value('MESSAGE_CONTENT_INTENT')}".`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    messageContentIntent: intentText === 'true' || intentText === '1',
    database,
    workers,
    shards,
    shardIds,
    discordToken,
    applicationId,
    guildId,
    apiUrl,
    publicKey,
    port,
    host,
    databasePath: databasePath === ':memory:' ? databasePath : path.resolve(databasePath),
    unansweredLimit,
    logLevel,
    logLevelSet: value('LOG_LEVEL') !== undefined,
    knowledgeDir: readKnowledgeDir(env),
  };
}

/** A whole number setting with a default; a bad value is a problem naming the key. */
function wholeNumber(
  value: (key: string) => string | undefined,
  key: string,
  fallback: number,
  problems: string[],
  { min, unit }: { min: number; unit: string },
): number {
  const text = value(key);
  if (text === undefined) return fallback;
  const parsed = Number(text);
  if (Number.isInteger(parsed) && parsed >= min) return parsed;
  problems.push(`${key} must be a whole number of ${unit}, at least ${min} (default ${fallback}), got "${text}".`);
  return fallback;
}

function readDatabaseSettings(value: (key: string) => string | undefined, problems: string[]): DatabaseSettings | undefined {
  const url = value('DATABASE_URL');
  const settings = {
    poolSize: wholeNumber(value, 'DATABASE_POOL_SIZE', POSTGRES_DEFAULTS.poolSize, problems, { min: 1, unit: 'connections' }),
    statementTimeoutMs: wholeNumber(value, 'DATABASE_STATEMENT_TIMEOUT_MS', POSTGRES_DEFAULTS.statementTimeoutMs, problems, {
      min: 1,
      unit: 'milliseconds',
    }),
    connectTimeoutMs: wholeNumber(value, 'DATABASE_CONNECT_TIMEOUT_MS', POSTGRES_DEFAULTS.connectTimeoutMs, problems, {
      min: 1,
      unit: 'milliseconds',
    }),
    reconnectTimeoutMs: wholeNumber(value, 'DATABASE_RECONNECT_TIMEOUT_MS', POSTGRES_DEFAULTS.reconnectTimeoutMs, problems, {
      min: 0,
      unit: 'milliseconds',
    }),
  };
  if (url === undefined) return undefined;
  if (!/^postgres(ql)?:\/\/./.test(url)) {
    problems.push(
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database; remove it to use the SQLite file in DATABASE_PATH.',
    );
    return undefined;
  }
  if (value('DATABASE_PATH') !== undefined) {
    problems.push(
      'DATABASE_URL and DATABASE_PATH are both set: keep DATABASE_URL for PostgreSQL, or DATABASE_PATH for a SQLite file, not both.',
    );
  }
  return { url, ...settings };
}

function readWorkers(text: string | undefined, problems: string[]): number {
  if (text === undefined) return 1;
  if (text.toLowerCase() === 'auto') return Math.max(1, availableParallelism());
  const workers = Number(text);
  if (Number.isInteger(workers) && workers >= 1 && workers <= 64) return workers;
  problems.push(`WORKERS must be a number of HTTP worker processes from 1 to 64, or "auto" (one per core), got "${text}".`);
  return 1;
}

function readShards(
  shardsText: string | undefined,
  idsText: string | undefined,
  problems: string[],
): { shards: number | 'auto'; shardIds: number[] | undefined } {
  let shards: number | 'auto' = 'auto';
  if (shardsText !== undefined && shardsText.toLowerCase() !== 'auto') {
    const count = Number(shardsText);
    if (Number.isInteger(count) && count >= 1) shards = count;
    else problems.push(`SHARDS must be a number of gateway shards (1 or more) or "auto" (Discord's recommendation), got "${shardsText}".`);
  }
  if (idsText === undefined) return { shards, shardIds: undefined };
  const ids = idsText.split(',').map((part) => Number(part.trim()));
  if (shards === 'auto') {
    problems.push('SHARD_IDS needs SHARDS set to the total number of shards, so that every process agrees on it.');
  } else if (ids.some((id) => !Number.isInteger(id) || id < 0 || id >= (shards as number)) || new Set(ids).size !== ids.length) {
    problems.push(`SHARD_IDS must be distinct shard numbers from 0 to ${shards - 1}, separated by commas, got "${idsText}".`);
  }
  return { shards, shardIds: ids };
}
