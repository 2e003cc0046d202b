import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/core/knowledge/load.ts';
import { describe, expect, it } from 'vitest';
import { applicationIdFromToken, ConfigError, DEFAULT_API_URL, readConfig } from '../src/config.ts';

/** readConfig is pure over the env it is given: no process.env, no .env file. */

const APP_ID = '123456789012345678';
/** A token-shaped string whose first part is base64 of a snowflake, as Discord's are (not a real token). */
const TOKEN = `${Buffer.from(APP_ID).toString('base64url')}.GabcDe.${'x'.repeat(27)}`;

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

describe('readConfig', () => {
  it('an empty env gives the console mode defaults', () => {
    const config = readConfig({});
    // No token and no public key: main.ts starts the local console.
    expect(config).toMatchObject({
      discordToken: undefined,
      applicationId: undefined,
      guildId: undefined,
      apiUrl: 'https://discord.com/api',
      publicKey: undefined,
      port: 8080,
      databasePath: path.resolve('./data/bot.sqlite'),
      logLevel: 'info',
      knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
      messageContentIntent: false,
    });
    expect(config.discordToken).toBeUndefined();
    expect(config.publicKey).toBeUndefined();
    expect(DEFAULT_API_URL).toBe('https://discord.com/api');
  });

  it('treats empty and blank values as unset', () => {
    expect(readConfig({ DISCORD_TOKEN: '', DISCORD_PUBLIC_KEY: '  ', PORT: '', LOG_LEVEL: '' })).toMatchObject({
      discordToken: undefined,
      publicKey: undefined,
      port: 8080,
      logLevel: 'info',
    });
  });

  it('reads well-formed values', () => {
    const config = readConfig({
      DISCORD_TOKEN: ` ${TOKEN} `,
      DISCORD_GUILD_ID: '987654321098765432',
      DISCORD_API_URL: 'http://127.0.0.1:3000/api/',
      DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
      PORT: '0',
      LOG_LEVEL: 'DEBUG',
      DATABASE_PATH: ':memory:',
      KNOWLEDGE_DIR: 'knowledge',
    });
    expect(config).toMatchObject({
      discordToken: TOKEN,
      applicationId: APP_ID,
      guildId: '987654321098765432',
      apiUrl: 'http://127.0.0.1:3000/api',
      publicKey: 'ab'.repeat(32),
      port: 0,
      logLevel: 'debug',
      databasePath: ':memory:',
      knowledgeDir: path.resolve('knowledge'),
    });
  });

  it('derives the application id from the token, unless given', () => {
    expect(applicationIdFromToken(TOKEN)).toBe(APP_ID);
    expect(readConfig({ DISCORD_TOKEN: TOKEN }).applicationId).toBe(APP_ID);
    expect(readConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '111111111111111111' }).applicationId).toBe('111111111111111111');
    expect(applicationIdFromToken(`${Buffer.from('not-a-snowflake').toString('base64url')}.a.b`)).toBeUndefined();
    expect(readConfig({ DISCORD_TOKEN: 'abc.def.ghi' }).applicationId).toBeUndefined();
  });

  it.each([
    ['DISCORD_TOKEN', 'abc'],
    ['DISCORD_TOKEN', 'has spaces.in it.here'],
    ['DISCORD_APPLICATION_ID', '12'],
    ['DISCORD_GUILD_ID', 'abc'],
    ['DISCORD_API_URL', 'ftp://x'],
    ['DISCORD_API_URL', 'https://discord.com/api/v10'],
    ['DISCORD_PUBLIC_KEY', 'zz'],
    // Small-order points: with these, forged signatures pass a good share of the time.
    ['DISCORD_PUBLIC_KEY', '0'.repeat(64)],
    ['DISCORD_PUBLIC_KEY', `01${'0'.repeat(62)}`],
    ['DISCORD_PUBLIC_KEY', 'C7176A703D4DD84FBA3C0B760D10670F2A2053FA2C39CCC64EC7FD7792AC037A'],
    ['UNANSWERED_LIMIT', '0'],
    ['UNANSWERED_LIMIT', 'lots'],
    ['PORT', '99999'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', 'eighty'],
    ['LOG_LEVEL', 'loud'],
    ['HOST', 'not a host!'],
    ['DATABASE_URL', 'mysql://bot@db/bot'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'soon'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '-5'],
    ['DATABASE_RECONNECT_TIMEOUT_MS', '1.5'],
    ['WORKERS', '0'],
    ['WORKERS', 'many'],
    ['SHARDS', '0'],
    ['SHARD_IDS', '0,1'],
  ])('%s=%s → ConfigError naming the key', (key, value) => {
    const error = configError({ [key]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(key);
    expect(error.message).toContain(key);
    expect(error.message).toMatch(/see \.env\.example/);
  });

  it('lists every problem at once', () => {
    const error = configError({ DISCORD_GUILD_ID: 'abc', PORT: '99999', LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/DISCORD_GUILD_ID[\s\S]*PORT[\s\S]*LOG_LEVEL/);
  });

  it('never echoes the token, well-formed or not', () => {
    const secret = 'super-secret-token-value';
    const malformed = configError({ DISCORD_TOKEN: secret, PORT: 'x', DISCORD_API_URL: 'ftp://x' });
    expect(malformed.message).not.toContain(secret);
    expect(malformed.problems.join('\n')).not.toContain(secret);
    const withValidToken = configError({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '12', LOG_LEVEL: 'loud' });
    expect(withValidToken.message).not.toContain(TOKEN);
    for (const part of TOKEN.split('.')) expect(withValidToken.message).not.toContain(part);
    expect(String(withValidToken.stack)).not.toContain(TOKEN);
  });
});

describe('several processes and machines', () => {
  it('DATABASE_URL chooses PostgreSQL with sane defaults; its settings are read', () => {
    expect(readConfig({}).database).toBeUndefined();
    expect(readConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/bot' }).database).toEqual({
      url: 'postgres://bot:pw@db:5432/bot',
      poolSize: 10,
      statementTimeoutMs: 5000,
      connectTimeoutMs: 5000,
      reconnectTimeoutMs: 10_000,
    });
    expect(readConfig({ DATABASE_URL: 'postgresql://db/bot', DATABASE_POOL_SIZE: '25' }).database?.poolSize).toBe(25);
  });

  it('DATABASE_URL with DATABASE_PATH is refused: one store, not two', () => {
    expect(configError({ DATABASE_URL: 'postgres://db/bot', DATABASE_PATH: './data/bot.sqlite' }).problems[0]).toMatch(/both set/);
  });

  it('WORKERS is 1 by default, a number, or auto (one per core)', () => {
    expect(readConfig({}).workers).toBe(1);
    expect(readConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(readConfig({ WORKERS: 'auto' }).workers).toBe(availableParallelism());
  });

  it('SHARDS is automatic by default; SHARD_IDS splits a fixed count between processes', () => {
    expect(readConfig({})).toMatchObject({ shards: 'auto', shardIds: undefined });
    expect(readConfig({ SHARDS: '4', SHARD_IDS: '2, 3' })).toMatchObject({ shards: 4, shardIds: [2, 3] });
    expect(configError({ SHARDS: '2', SHARD_IDS: '1,2' }).problems[0]).toMatch(/SHARD_IDS must be distinct shard numbers from 0 to 1/);
    expect(configError({ SHARDS: '2', SHARD_IDS: '1,1' }).problems[0]).toMatch(/SHARD_IDS/);
  });
});
