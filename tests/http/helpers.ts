/**
 * Helpers for tests/http-interactions.test.ts: an Ed25519 key pair like the Developer Portal's,
 * signed requests as Discord sends them, and interaction bodies in Discord's JSON shape.
 * Everything stays on 127.0.0.1.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../src/config.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/core/knowledge/load.ts';

/**
 * The HTTP mode's configuration in a test: loopback only, an in-memory database, the real
 * knowledge. Without `apiUrl`, REST goes to port 9 of loopback, where nothing listens.
 */
export function httpTestConfig(keys: KeyPair, overrides: Partial<Config> = {}): Config {
  return {
    discordToken: undefined,
    applicationId: IDS.applicationId,
    guildId: undefined,
    apiUrl: 'http://127.0.0.1:9/api',
    publicKey: keys.publicKeyHex,
    port: 0,
    host: '127.0.0.1',
    databasePath: ':memory:',
    database: undefined,
    workers: 1,
    shards: 'auto',
    shardIds: undefined,
    unansweredLimit: 1000,
    logLevelSet: true,
    logLevel: 'debug',
    knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
    messageContentIntent: false,
    ...overrides,
  };
}

export interface KeyPair {
  /** 64 hex characters, as the Developer Portal shows it. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function makeKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The SPKI DER export is a 12-byte header followed by the raw 32-byte key.
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKeyHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

export const nowSeconds = (): string => String(Math.floor(Date.now() / 1000));

/** The two headers Discord adds: Ed25519 over timestamp bytes + raw body. */
export function signatureHeaders(keys: KeyPair, body: string | Buffer, timestamp: string = nowSeconds()): Record<string, string> {
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), keys.privateKey);
  return { 'x-signature-ed25519': signature.toString('hex'), 'x-signature-timestamp': timestamp };
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in pieces without a content-length (chunked), as a streaming client would. */
  chunks?: Buffer[];
}

/**
 * One HTTP request on a fresh connection. Resolves on the response; errors that come after it
 * (the server dropping a connection whose body it refused) are ignored.
 */
export function httpRequest(port: number, path: string, options: RequestOptions = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined && !options.chunks) headers['content-length'] = String(Buffer.byteLength(options.body));
    if (options.body !== undefined || options.chunks) headers['content-type'] ??= 'application/json';
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', () => undefined);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunks) {
      const pieces = [...options.chunks];
      const writeNext = (): void => {
        const piece = pieces.shift();
        if (!piece || answered || req.destroyed) {
          if (!answered && !req.destroyed) req.end();
          return;
        }
        if (req.write(piece)) setImmediate(writeNext);
        else req.once('drain', writeNext);
      };
      writeNext();
    } else req.end(options.body);
  });
}

/** POST /interactions with a correctly signed body (or the headers given). */
export function postInteraction(port: number, keys: KeyPair, interaction: unknown, headers?: Record<string, string>): Promise<Response> {
  const body = typeof interaction === 'string' ? interaction : JSON.stringify(interaction);
  return httpRequest(port, '/interactions', { method: 'POST', body, headers: headers ?? signatureHeaders(keys, body) });
}

// ---------------------------------------------------------------- interaction bodies

export const IDS = {
  applicationId: '1300000000000000001',
  guildId: '1300000000000000002',
  channelId: '1300000000000000003',
  userId: '1300000000000000004',
};

/** Permission bits: everyone's defaults, and a moderator's (Manage Messages + Pin Messages). */
export const PERMISSIONS = {
  member: (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n),
  moderator: (1n << 10n) | (1n << 11n) | (1n << 13n) | (1n << 16n) | (1n << 31n) | (1n << 51n),
};

let counter = 0;
const snowflake = (): string => String(1_310_000_000_000_000_000n + BigInt(++counter));
export const interactionToken = (): string => `aW50ZXJhY3Rpb24-${randomBytes(24).toString('base64url')}`;

export interface Where {
  /** false: a DM (user instead of member, no guild). */
  guild?: boolean;
  permissions?: bigint;
  /** Who acts; default IDS.userId. */
  userId?: string;
  username?: string;
  channelId?: string;
  /** The channel is a thread (a public thread, as one started from an answer). */
  thread?: boolean;
  guildId?: string;
}

function envelope(type: number, data: unknown, where: Where = {}, extra: Record<string, unknown> = {}) {
  const user = {
    id: where.userId ?? IDS.userId,
    username: where.username ?? 'tester',
    discriminator: '0',
    global_name: where.username ?? 'Tester',
    avatar: null,
  };
  const channelId = where.channelId ?? IDS.channelId;
  const inGuild = where.guild !== false;
  const guildId = where.guildId ?? IDS.guildId;
  return {
    id: snowflake(),
    application_id: IDS.applicationId,
    type,
    data,
    token: interactionToken(),
    version: 1,
    channel_id: channelId,
    channel: { id: channelId, type: where.thread ? 11 : inGuild ? 0 : 1 },
    locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': inGuild ? guildId : IDS.userId },
    context: inGuild ? 0 : 1,
    ...(inGuild
      ? {
          guild_id: guildId,
          guild_locale: 'en-US',
          member: {
            user,
            roles: [],
            permissions: String(where.permissions ?? PERMISSIONS.member),
            joined_at: '2024-01-01T00:00:00.000Z',
            deaf: false,
            mute: false,
            flags: 0,
          },
        }
      : { user }),
    ...extra,
  };
}

export type CommandOptionJson = {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionJson[];
};

export function slashCommand(name: string, options?: CommandOptionJson[], where?: Where) {
  return envelope(2, { id: snowflake(), name, type: 1, ...(options && { options }) }, where);
}

export const ask = (question: string, where?: Where, extra: CommandOptionJson[] = []) =>
  slashCommand('ask', [{ name: 'question', type: 3, value: question }, ...extra], where);

export function autocomplete(name: string, option: string, typed: string, where?: Where) {
  return envelope(4, { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value: typed, focused: true }] }, where);
}

/** A message as Discord sends it (the one a button is on, or a context-menu target). */
export function messageJson(fields: {
  id?: string;
  authorId?: string;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  channelId?: string;
}) {
  return {
    id: fields.id ?? snowflake(),
    channel_id: fields.channelId ?? IDS.channelId,
    author: {
      id: fields.authorId ?? IDS.applicationId,
      username: 'Report Bot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    },
    content: fields.content ?? '',
    embeds: fields.embeds ?? [],
    components: fields.components ?? [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    type: 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
  };
}

export function buttonClick(customId: string, message: ReturnType<typeof messageJson>, where?: Where) {
  return envelope(3, { custom_id: customId, component_type: 2 }, where, { message });
}

/**
 * A modal submit (type 5) as Discord sends it: each field a Label (18) around a text input (4, a
 * string) or a string select (3, a list); `message` when the modal was opened from a button on it.
 */
export function modalSubmit(
  customId: string,
  fields: Record<string, string | string[]>,
  message?: ReturnType<typeof messageJson>,
  where?: Where,
) {
  let n = 0;
  const components = Object.entries(fields).map(([id, value]) => ({
    type: 18,
    id: ++n,
    component: Array.isArray(value) ? { type: 3, id: ++n, custom_id: id, values: value } : { type: 4, id: ++n, custom_id: id, value },
  }));
  return envelope(5, { custom_id: customId, components }, where, message ? { message } : {});
}

export function messageContextMenu(name: string, target: ReturnType<typeof messageJson>, where?: Where) {
  return envelope(2, { id: snowflake(), name, type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } }, where);
}

/** Custom ids of a payload's buttons. */
export function buttonIdsOf(data: { components?: unknown[] }): string[] {
  const rows = (data.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>;
  return rows.flatMap((row) => (row.components ?? []).flatMap((component) => (component.custom_id ? [component.custom_id] : [])));
}
