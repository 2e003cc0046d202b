/**
 * A small fake Discord (REST + gateway on one 127.0.0.1 port) for end-to-end tests of a
 * discord.js bot. The real, unmodified discord.js Client logs into it with
 * `rest: { api: fake.apiUrl }`; nothing here ever talks to the real Discord.
 *
 * Protocol background: /work/shared/notes/offline-discord.md. In short: discord.js asks
 * `GET /gateway/bot` for the socket URL, opens `ws://…?v=10&encoding=json`, gets HELLO,
 * sends IDENTIFY, and becomes ready once READY and a GUILD_CREATE for every guild named
 * in READY have arrived. Interactions arrive over the gateway (INTERACTION_CREATE) and are
 * answered over REST without an Authorization header.
 *
 * Behaviour that mirrors real Discord on purpose (so tests catch real bugs):
 * - interaction callbacks after `interactionAckTimeoutMs` (3 s), a second callback, or
 *   webhook edits before any callback fail with Discord's error codes;
 * - message bodies are checked against Discord's length limits (content 2000, embeds…);
 * - MESSAGE_CREATE needs the GuildMessages intent, and its content is blanked without the
 *   MessageContent intent unless the message mentions the bot.
 * - a modal (callback 9) only answers a command or a component, with Discord's length limits;
 *   a modal submit takes 6/7 only when the modal was opened from a message;
 * - threads (type 11, started from a message, id = the message's id): 160004 for a second
 *   thread on one message, 50083 for posting or replying to an interaction in an archived
 *   thread, 50013 without the thread permissions (`denyBotPermissions` takes bits away from
 *   the bot). Interactions and user messages can come from a thread (`channelId`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}
export interface RecordedRequest {
  method: string;
  /** Decoded, without the /api/v10 prefix, e.g. "/interactions/123/tok/callback". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (for multipart uploads: the parsed `payload_json` part), or undefined. */
  body: any;
  /** Files of a multipart upload (empty otherwise). */
  files: RecordedFile[];
}
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface FakeDiscordOptions {
  botUserId?: string;
  applicationId?: string;
  guildId?: string;
  channelId?: string;
  /** Default "test-token"; any other `Authorization: Bot x` gets 401 on bot-authenticated routes. */
  validToken?: string;
  /** Permissions of the bot's managed role (added to @everyone). Default: everyone + ManageMessages + PinMessages. */
  botPermissions?: bigint;
  /**
   * Bits the bot does not have, whatever its roles give (e.g. CreatePublicThreads, SendMessagesInThreads).
   * As on Discord, they come off the bot's role and a member overwrite on the text channel denies them,
   * so discord.js' permissionsFor(), the interactions' app_permissions and the fake's own checks agree.
   */
  denyBotPermissions?: bigint;
  /** HELLO heartbeat interval. Default 41250 (Discord's); make it small to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** Discord rejects interaction callbacks that arrive later than 3 s (10062 Unknown interaction). */
  interactionAckTimeoutMs?: number;
  /** The shard count `GET /gateway/bot` recommends. Default 1. */
  shards?: number;
}
/** An option as Discord sends it; a subcommand (type 1) carries its own options instead of a value. */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}
export interface InvokerOptions {
  userId?: string;
  username?: string;
  /** Member permission bits. */ permissions?: bigint;
  /** The shard the dispatch goes to; default the guild's, by Discord's rule (guild_id >> 22) % shards. */
  shard?: number;
  /** Where the interaction happens: the text channel (default) or a thread the fake holds. */
  channelId?: string;
}
export interface MessageSpec {
  id?: string;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  /** Defaults to the bot for buttons, to the default user for context-menu targets. */
  author?: { id: string; username?: string; bot?: boolean };
}
export interface GatewayMessage {
  op: number;
  d: unknown;
}
export interface FakeDiscord {
  /** "http://127.0.0.1:PORT/api": what the bot puts in `rest.api` (no /v10: discord.js appends it). */
  apiUrl: string;
  ids: { applicationId: string; botUserId: string; guildId: string; channelId: string; userId: string };
  /** Every REST request, in arrival order (including intercepted and 404 ones). */
  requests: RecordedRequest[];
  /** Every payload gateway clients sent (IDENTIFY, heartbeats, …), in order. */
  gatewayMessages: GatewayMessage[];
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForGatewayMessage(match: (m: GatewayMessage) => boolean, timeoutMs?: number): Promise<GatewayMessage>;
  /** Latest client that IDENTIFIED and got READY + GUILD_CREATE (or the next one). */
  waitForIdentify(timeoutMs?: number): Promise<{ token: string; intents: number }>;
  /** The [shard, count] of every connection that has identified and is still open, sorted. */
  connectedShards(): Array<[number, number]>;
  /** Handlers run newest first; the first non-undefined reply replaces the default one. */
  intercept(handler: (r: RecordedRequest) => FakeReply | undefined): () => void;
  sendSlashCommand(opts: { name: string; options?: CommandOption[] } & InvokerOptions): { id: string; token: string };
  sendAutocomplete(opts: { name: string; options: CommandOption[] } & InvokerOptions): { id: string; token: string };
  sendButton(opts: { customId: string; message: MessageSpec & { id: string } } & InvokerOptions): { id: string; token: string };
  sendMessageContextMenu(opts: { name: string; targetMessage: MessageSpec } & InvokerOptions): { id: string; token: string };
  /**
   * A modal submit (type 5). Each field becomes a Label (type 18) around a text input (type 4, a string)
   * or a string select (type 3, an array of values). `message`: the modal was opened from a button on it.
   */
  sendModalSubmit(
    opts: { customId: string; fields: Record<string, string | string[]>; message?: MessageSpec & { id: string } } & InvokerOptions,
  ): { id: string; token: string };
  /** A user's message in the text channel, or in a thread with `channelId` (an archived, unlocked thread reopens). */
  sendMessage(opts: { content: string; mentionsBot?: boolean; authorId?: string; username?: string; channelId?: string }): { id: string };
  /** Every modal the bot showed (an accepted type 9 callback), in order; `data` is the callback's data. */
  modalsShown(): Array<{ interactionId: string; data: any }>;
  /**
   * A user starts a public thread, from the message `messageId` (the thread takes its id) or without one.
   * Dispatches THREAD_CREATE (newly_created) and, for a starter message, MESSAGE_UPDATE. Returns the thread.
   */
  createThread(opts: { name: string; messageId?: string; ownerId?: string; autoArchiveDuration?: number }): any;
  /** Archives a thread (as Discord does after its auto_archive_duration, or a moderator) and dispatches THREAD_UPDATE. */
  archiveThread(threadId: string, opts?: { locked?: boolean }): void;
  /** Copies of every thread the fake holds (started by the bot or by createThread), oldest first. */
  threads(): any[];
  sendGatewayDispatch(t: string, d: unknown): void;
  /** Closes every gateway connection with a close code (4000 recoverable; 4004, 4013, 4014 fatal). */
  closeGateway(code: number, reason?: string): void;
  close(): Promise<void>;
}

// Permission bits (https://discord.com/developers/docs/topics/permissions).
const P = {
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
  PinMessages: 1n << 51n,
};
const EVERYONE_PERMISSIONS =
  P.AddReactions |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.UseApplicationCommands |
  P.CreatePublicThreads |
  P.SendMessagesInThreads;
// Gateway intents that gate what this fake dispatches.
const INTENT_GUILDS = 1 << 0;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_MESSAGE_CONTENT = 1 << 15;
/** The auto_archive_duration values (minutes) Discord accepts. */
const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/** Snowflakes carry their creation time, and discord.js' REST bucketing expects 17-19 digit ids. */
const DISCORD_EPOCH = 1420070400000n;
let sequence = 0n;
function snowflake(): string {
  sequence = (sequence + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | sequence);
}

const json = (status: number, body?: unknown, headers?: Record<string, string>): FakeReply => ({ status, body, headers });
const discordError = (status: number, code: number, message: string, errors?: unknown): FakeReply =>
  json(status, errors === undefined ? { message, code } : { message, code, errors });

interface Waiter<T> {
  match: (x: T) => boolean;
  resolve: (x: T) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}
interface InteractionState {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  acked: boolean;
  originalId?: string;
  sourceMessageId?: string;
  /** The text channel or a thread: where its responses are posted. */
  channelId: string;
}
/** What a gateway connection said in its IDENTIFY. */
interface Identified {
  token: string;
  intents: number;
  shard: [number, number];
}
interface Client {
  socket: WebSocket;
  seq: number;
  identified?: Identified;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? '1300000000000000001';
  // Modern applications have a bot user with the same id as the application.
  const botUserId = options.botUserId ?? applicationId;
  const guildId = options.guildId ?? '1300000000000000002';
  const channelId = options.channelId ?? '1300000000000000003';
  const userId = '1300000000000000004';
  const ownerId = '1300000000000000005';
  const botRoleId = '1300000000000000006';
  const validToken = options.validToken ?? 'test-token';
  const denied = options.denyBotPermissions ?? 0n;
  const botPermissions = (EVERYONE_PERMISSIONS | (options.botPermissions ?? P.ManageMessages | P.PinMessages)) & ~denied;
  const ackTimeoutMs = options.interactionAckTimeoutMs ?? 3000;
  const joinedAt = new Date().toISOString();
  const shardCount = options.shards ?? 1;
  const guildShard = Number((BigInt(guildId) >> 22n) % BigInt(shardCount));

  const botUser = { id: botUserId, username: 'fake-bot', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 };
  const user = (id: string, username = 'tester', bot = false) => ({
    id,
    username,
    discriminator: '0',
    global_name: username,
    avatar: null,
    bot,
    flags: 0,
  });
  const partialMember = (roles: string[] = []) => ({
    roles,
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    avatar: null,
    premium_since: null,
    pending: false,
    communication_disabled_until: null,
  });

  const requests: RecordedRequest[] = [];
  const gatewayMessages: GatewayMessage[] = [];
  const identifies: Identified[] = [];
  const requestWaiters = new Set<Waiter<RecordedRequest>>();
  const gatewayWaiters = new Set<Waiter<GatewayMessage>>();
  const identifyWaiters = new Set<Waiter<Identified>>();
  const interceptors: Array<(r: RecordedRequest) => FakeReply | undefined> = [];
  const clients = new Set<Client>();
  const messages = new Map<string, any>();
  const interactions = new Map<string, InteractionState>();
  const commands = new Map<string, any[]>(); // scope ("global" or guild id) -> registered commands
  const threads = new Map<string, any>(); // thread id -> thread channel object
  const modals: Array<{ interactionId: string; data: any }> = [];

  function notify<T>(waiters: Set<Waiter<T>>, item: T): void {
    for (const w of waiters)
      if (w.match(item)) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(item);
      }
  }
  function waitFor<T>(
    seen: T[],
    waiters: Set<Waiter<T>>,
    match: (x: T) => boolean,
    timeoutMs: number,
    what: string,
    list: () => string,
  ): Promise<T> {
    const found = seen.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`fake-discord: no ${what} after ${timeoutMs} ms; seen:\n${list() || '  (none)'}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }
  const listRequests = () => requests.map((r) => `  ${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`).join('\n');

  // ---------------------------------------------------------------- objects

  const textChannel = {
    id: channelId,
    type: 0,
    name: 'general',
    guild_id: guildId,
    position: 0,
    // A member overwrite is how a channel takes permissions away from one member (here the bot).
    permission_overwrites: denied ? [{ id: botUserId, type: 1, allow: '0', deny: String(denied) }] : [],
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
    default_auto_archive_duration: 1440, // copied onto new threads that do not name one
  };
  const role = (id: string, name: string, permissions: bigint, extra: object = {}) => ({
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: String(permissions),
    managed: false,
    mentionable: false,
    flags: 0,
    ...extra,
  });
  const guild = () => ({
    id: guildId,
    name: 'Fake Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: 'en-US',
    max_members: 500000,
    features: [],
    emojis: [],
    stickers: [],
    incidents_data: null,
    // The @everyone role has the guild's id; the bot's managed role carries its extra permissions.
    roles: [
      role(guildId, '@everyone', EVERYONE_PERMISSIONS),
      role(botRoleId, 'fake-bot', botPermissions, { managed: true, position: 1, tags: { bot_id: botUserId } }),
    ],
    // GUILD_CREATE-only fields:
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    lazy: true,
    members: [{ ...partialMember([botRoleId]), user: botUser }],
    channels: [textChannel],
    threads: [...threads.values()].filter((t) => !t.thread_metadata.archived), // the active ones
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  /** A message object with every field discord.js reads when it builds a Message. */
  function makeMessage(fields: Record<string, unknown>): any {
    return {
      id: snowflake(),
      channel_id: channelId,
      guild_id: guildId,
      author: botUser,
      content: '',
      embeds: [],
      components: [],
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
      ...fields,
    };
  }
  function messageFromSpec(spec: MessageSpec, defaultAuthor: object, inChannel = channelId): any {
    const author = spec.author ? user(spec.author.id, spec.author.username, spec.author.bot) : defaultAuthor;
    // A message the fake already holds keeps its pin (a click on a pinned answer must not unpin it) and its thread.
    const existing = spec.id === undefined ? undefined : messages.get(spec.id);
    const pinState = existing?.pinned ? { pinned: true, pinned_at: existing.pinned_at } : {};
    const threadState = existing?.thread ? { thread: existing.thread, flags: existing.flags } : {};
    const msg = makeMessage({
      id: spec.id ?? snowflake(),
      channel_id: inChannel,
      author,
      content: spec.content ?? '',
      embeds: spec.embeds ?? [],
      components: spec.components ?? [],
      ...pinState,
      ...threadState,
    });
    messages.set(msg.id, msg);
    return msg;
  }
  /** What the bot sent (content/embeds/components/flags/…) applied to a message object. */
  function applyBody(msg: any, body: any, files: RecordedFile[]): any {
    for (const key of ['content', 'embeds', 'components', 'flags', 'tts', 'poll'] as const)
      if (body?.[key] !== undefined) msg[key] = body[key];
    if (files.length)
      msg.attachments = files.map((f) => ({
        id: snowflake(),
        filename: f.filename,
        size: f.data.length,
        url: `http://127.0.0.1/attachments/${f.filename}`,
        proxy_url: `http://127.0.0.1/attachments/${f.filename}`,
        content_type: f.contentType,
      }));
    return msg;
  }

  /** 50035 "Invalid Form Body" with Discord's error tree: `{ a: { b: { _errors: [{ code, message }] } } }` for "a.b". */
  function invalidFormBody(problems: Array<[path: string, code: string, message: string]>): FakeReply {
    const errors: any = {};
    for (const [path, code, message] of problems) {
      let node = errors;
      for (const part of path.split('.')) node = node[part] ??= {};
      (node._errors ??= []).push({ code, message });
    }
    return discordError(400, 50035, 'Invalid Form Body', errors);
  }
  /** A string Discord wants 1-max characters long: its problem, or undefined. */
  function badLength(path: string, value: unknown, max: number): [string, string, string] | undefined {
    if (value === undefined || value === null) return [path, 'BASE_TYPE_REQUIRED', 'This field is required'];
    if (typeof value !== 'string' || value.length < 1 || value.length > max)
      return [path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${max} in length.`];
    return undefined;
  }
  const badArchiveDuration = (value: unknown): [string, string, string] | undefined =>
    value === undefined || ARCHIVE_DURATIONS.includes(value as number)
      ? undefined
      : ['auto_archive_duration', 'BASE_TYPE_CHOICES', 'Value must be one of (60, 1440, 4320, 10080).'];
  /** The MODAL callback's data: custom_id 1-100, title 1-45, 1-5 components (labels, text displays, legacy rows). */
  function validateModal(data: any): FakeReply | undefined {
    const components: unknown[] = Array.isArray(data?.components) ? data.components : [];
    const problems = [badLength('data.custom_id', data?.custom_id, 100), badLength('data.title', data?.title, 45)];
    if (components.length < 1 || components.length > 5)
      problems.push(['data.components', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.']);
    components.forEach((c: any, i) => {
      if (![1, 10, 18].includes(c?.type))
        problems.push([`data.components.${i}`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).']);
      else if (c.type === 18) problems.push(badLength(`data.components.${i}.label`, c.label, 45));
    });
    const found = problems.filter((p) => p !== undefined);
    return found.length ? invalidFormBody(found) : undefined;
  }

  /** Discord's form-body limits; returns a 50035 "Invalid Form Body" reply or undefined. */
  function validateMessage(body: any, files: RecordedFile[], isCreate: boolean): FakeReply | undefined {
    const problems: Array<[string, string]> = [];
    const max = (path: string, value: unknown, limit: number) => {
      if (typeof value === 'string' && value.length > limit) problems.push([path, `Must be ${limit} or fewer in length.`]);
    };
    max('content', body?.content, 2000);
    const embeds: any[] = Array.isArray(body?.embeds) ? body.embeds : [];
    if (embeds.length > 10) problems.push(['embeds', 'Must be 10 or fewer in length.']);
    let total = 0;
    embeds.forEach((e, i) => {
      max(`embeds.${i}.title`, e?.title, 256);
      max(`embeds.${i}.description`, e?.description, 4096);
      max(`embeds.${i}.footer.text`, e?.footer?.text, 2048);
      max(`embeds.${i}.author.name`, e?.author?.name, 256);
      const fields: any[] = Array.isArray(e?.fields) ? e.fields : [];
      if (fields.length > 25) problems.push([`embeds.${i}.fields`, 'Must be 25 or fewer in length.']);
      fields.forEach((f, j) => {
        max(`embeds.${i}.fields.${j}.name`, f?.name, 256);
        max(`embeds.${i}.fields.${j}.value`, f?.value, 1024);
      });
      total += [e?.title, e?.description, e?.footer?.text, e?.author?.name, ...fields.flatMap((f) => [f?.name, f?.value])].reduce(
        (n: number, s) => n + (typeof s === 'string' ? s.length : 0),
        0,
      );
    });
    if (total > 6000) problems.push(['embeds', 'Embed size exceeds maximum size of 6000']);
    if (problems.length) return invalidFormBody(problems.map(([path, message]) => [path, 'BASE_TYPE_MAX_LENGTH', message]));
    const empty =
      !body?.content && !embeds.length && !body?.components?.length && !files.length && !body?.sticker_ids?.length && !body?.poll;
    if (isCreate && empty) return discordError(400, 50006, 'Cannot send an empty message');
    return undefined;
  }

  // ---------------------------------------------------------------- REST

  type Handler = (r: RecordedRequest, p: string[]) => FakeReply;
  const routes: Array<[string, RegExp, Handler]> = [];
  const route = (method: string, pattern: string, handler: Handler) =>
    routes.push([method, new RegExp(`^${pattern.replace(/:\w+/g, '([^/]+)')}$`), handler]);
  const knownChannel = (c: string | undefined) => c === channelId || threads.has(c!);
  const unknownChannel = () => discordError(404, 10003, 'Unknown Channel');
  const missingPermissions = () => discordError(403, 50013, 'Missing Permissions');
  const can = (bits: bigint) => (botPermissions & bits) === bits;
  /**
   * Why the bot may not post (`creating`) or edit a message in channel c, or undefined. A new message needs Send
   * Messages in the text channel (not for interaction responses, which are webhooks) and Send Messages in Threads
   * in a thread (responses included); an archived thread takes nothing.
   */
  function postRefusal(c: string | undefined, creating: boolean, viaInteraction = false): FakeReply | undefined {
    const thread = threads.get(c!);
    if (!thread) return creating && !viaInteraction && c === channelId && !can(P.SendMessages) ? missingPermissions() : undefined;
    if (creating && !can(P.SendMessagesInThreads)) return missingPermissions();
    if (thread.thread_metadata.archived) return discordError(400, 50083, 'Thread is archived');
    return undefined;
  }
  /** Bookkeeping of a message the bot or a user created: a thread counts its messages. */
  function created(msg: any): any {
    messages.set(msg.id, msg);
    const thread = threads.get(msg.channel_id);
    if (thread) {
      thread.message_count++;
      thread.total_message_sent++;
      thread.last_message_id = msg.id;
    }
    return msg;
  }

  route('GET', '/gateway/bot', () =>
    json(200, {
      url: wsUrl,
      shards: shardCount,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
    }),
  );
  route('GET', '/gateway', () => json(200, { url: wsUrl }));
  route('GET', '/users/@me', () => json(200, { ...botUser, verified: true, mfa_enabled: false }));
  const application = () => ({
    id: applicationId,
    name: 'fake-bot',
    icon: null,
    description: '',
    summary: '',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: user(ownerId, 'owner'),
    bot: botUser,
  });
  route('GET', '/applications/@me', () => json(200, application()));
  route('GET', '/oauth2/applications/@me', () => json(200, application()));

  // Command registration (bulk overwrite) echoes the commands with ids, like Discord.
  const putCommands =
    (scope: string) =>
    (r: RecordedRequest): FakeReply => {
      const list = (Array.isArray(r.body) ? r.body : []).map((c: any) => ({
        type: 1,
        description: '',
        options: [],
        default_member_permissions: null,
        nsfw: false,
        name_localizations: null,
        description_localizations: null,
        contexts: null,
        integration_types: [0],
        ...c,
        id: commands.get(scope)?.find((old) => old.name === c.name)?.id ?? snowflake(),
        application_id: applicationId,
        version: snowflake(),
        ...(scope === 'global' ? {} : { guild_id: scope }),
      }));
      commands.set(scope, list);
      return json(200, list);
    };
  route('PUT', '/applications/:app/commands', putCommands('global'));
  route('PUT', '/applications/:app/guilds/:guild/commands', (r, [, g]) => putCommands(g!)(r));
  route('GET', '/applications/:app/commands', () => json(200, commands.get('global') ?? []));
  route('GET', '/applications/:app/guilds/:guild/commands', (_r, [, g]) => json(200, commands.get(g!) ?? []));

  route('GET', '/channels/:c', (_r, [c]) =>
    c === channelId ? json(200, textChannel) : threads.has(c!) ? json(200, threads.get(c!)) : unknownChannel(),
  );
  // Modify Channel, for threads only (the text channel is not modelled): archive, unarchive, lock, rename.
  route('PATCH', '/channels/:c', (r, [c]) => {
    const thread = threads.get(c!);
    if (!thread) return c === channelId ? discordError(404, 0, '404: Not Found') : unknownChannel();
    const body = r.body ?? {};
    const meta = thread.thread_metadata;
    const problems = [
      body.name === undefined ? undefined : badLength('name', body.name, 100),
      badArchiveDuration(body.auto_archive_duration),
    ].filter((p) => p !== undefined);
    if (problems.length) return invalidFormBody(problems);
    // "Requires the thread to have archived set to false or be set to false in the request."
    if (meta.archived && body.archived !== false) return discordError(400, 50083, 'Thread is archived');
    // Reopening an unlocked thread needs only sending rights; the creator may also rename and archive it;
    // locking, or reopening a locked thread, is for Manage Threads.
    const onlyReopens = Object.keys(body).every((k) => k === 'archived') && body.archived === false;
    const ownerMay = Object.keys(body).every((k) => ['name', 'archived', 'auto_archive_duration'].includes(k));
    const needsManage = meta.locked || body.locked !== undefined || !(onlyReopens || (ownerMay && thread.owner_id === botUserId));
    if (needsManage ? !can(P.ManageThreads) : !can(P.SendMessagesInThreads)) return missingPermissions();
    if (body.name !== undefined) thread.name = body.name;
    if (body.auto_archive_duration !== undefined) meta.auto_archive_duration = body.auto_archive_duration;
    if (body.locked !== undefined) meta.locked = Boolean(body.locked);
    if (body.archived !== undefined && Boolean(body.archived) !== meta.archived) {
      meta.archived = Boolean(body.archived);
      meta.archive_timestamp = new Date().toISOString();
    }
    dispatchThread('THREAD_UPDATE', thread);
    return json(200, thread);
  });
  route('POST', '/channels/:c/typing', (_r, [c]) => (knownChannel(c) ? json(204) : unknownChannel()));
  route('POST', '/channels/:c/messages', (r, [c]) => {
    if (!knownChannel(c)) return unknownChannel();
    const invalid = validateMessage(r.body, r.files, true) ?? postRefusal(c, true);
    if (invalid) return invalid;
    const ref = r.body?.message_reference;
    // A reply is message type 19 and carries the message it answers.
    const msg = applyBody(
      makeMessage({
        channel_id: c,
        ...(ref
          ? {
              type: 19,
              message_reference: { ...ref, channel_id: ref.channel_id ?? c, guild_id: guildId },
              referenced_message: messages.get(ref.message_id) ?? null,
            }
          : {}),
      }),
      r.body,
      r.files,
    );
    return json(200, created(msg));
  });
  route('GET', '/channels/:c/messages/pins', (_r, [c]) => {
    if (!knownChannel(c)) return unknownChannel();
    const items = [...messages.values()].filter((m) => m.pinned && m.channel_id === c).map((m) => ({ pinned_at: m.pinned_at, message: m }));
    return json(200, { items, has_more: false });
  });
  const pin =
    (pinned: boolean): Handler =>
    (_r, [c, m]) => {
      if (!knownChannel(c)) return unknownChannel();
      const msg = messages.get(m!);
      if (msg) Object.assign(msg, { pinned, pinned_at: pinned ? new Date().toISOString() : undefined });
      return json(204);
    };
  route('PUT', '/channels/:c/messages/pins/:m', pin(true));
  route('DELETE', '/channels/:c/messages/pins/:m', pin(false));
  route('PUT', '/channels/:c/pins/:m', pin(true)); // deprecated spelling, still served by Discord
  route('DELETE', '/channels/:c/pins/:m', pin(false));
  // Unknown message ids get a synthesized message so a bot can fetch ids the test made up.
  route('GET', '/channels/:c/messages/:m', (_r, [c, m]) =>
    knownChannel(c) ? json(200, messages.get(m!) ?? makeMessage({ id: m, channel_id: c, author: user(userId) })) : unknownChannel(),
  );
  route('PATCH', '/channels/:c/messages/:m', (r, [c, m]) => {
    const msg = messages.get(m!);
    if (!knownChannel(c) || !msg || msg.channel_id !== c) return discordError(404, 10008, 'Unknown Message');
    return (
      validateMessage(r.body, r.files, false) ??
      postRefusal(c, false) ??
      json(200, applyBody(Object.assign(msg, { edited_timestamp: new Date().toISOString() }), r.body, r.files))
    );
  });
  route('DELETE', '/channels/:c/messages/:m', (_r, [, m]) => {
    const msg = messages.get(m!);
    if (!msg) return discordError(404, 10008, 'Unknown Message');
    messages.delete(m!);
    const thread = threads.get(msg.channel_id);
    if (thread) thread.message_count = Math.max(0, thread.message_count - 1);
    return json(204);
  });
  // Start Thread from Message: a public thread whose id is the message's, so one thread per message.
  route('POST', '/channels/:c/messages/:m/threads', (r, [c, m]) => {
    if (!knownChannel(c)) return unknownChannel();
    const body = r.body ?? {};
    const problems = [
      badLength('name', body.name, 100),
      badArchiveDuration(body.auto_archive_duration),
      body.rate_limit_per_user === undefined ||
      (Number.isInteger(body.rate_limit_per_user) && body.rate_limit_per_user >= 0 && body.rate_limit_per_user <= 21600)
        ? undefined
        : (['rate_limit_per_user', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 21600.'] as [string, string, string]),
    ].filter((p) => p !== undefined);
    if (problems.length) return invalidFormBody(problems);
    if (threads.has(c!)) return discordError(400, 50024, 'Cannot execute action on this channel type'); // no thread in a thread
    if (!can(P.CreatePublicThreads)) return missingPermissions();
    const msg = messages.get(m!);
    if (!msg || msg.channel_id !== c) return discordError(404, 10008, 'Unknown Message');
    if (threads.has(msg.id)) return discordError(400, 160004, 'A thread has already been created for this message');
    const thread = startThread({
      id: msg.id,
      name: body.name,
      ownerId: botUserId,
      autoArchiveDuration: body.auto_archive_duration,
      rateLimitPerUser: body.rate_limit_per_user,
    });
    return json(201, thread);
  });
  route('PUT', '/channels/:c/messages/:m/reactions/:emoji/@me', () => json(204));

  // Interaction callback: the first answer to an interaction (no Authorization header).
  route('POST', '/interactions/:id/:token/callback', (r, [id, token]) => {
    const state = interactions.get(id!);
    if (!state || state.token !== token || Date.now() - state.createdAt > ackTimeoutMs)
      return discordError(404, 10062, 'Unknown interaction');
    if (state.acked) return discordError(400, 40060, 'Interaction has already been acknowledged.');
    const type = r.body?.type;
    const data = r.body?.data ?? {};
    // Autocomplete interactions (4) take only choices (8); others never take choices. Updating the message
    // (6, 7) needs one: a component's, or a modal submit's when the modal came from a component on it.
    // A modal (9) answers only commands (2) and components (3), never a modal submit (5).
    const hasMessage = state.type === 3 || (state.type === 5 && state.sourceMessageId !== undefined);
    if (
      (state.type === 4) !== (type === 8) ||
      ![4, 5, 6, 7, 8, 9].includes(type) ||
      ((type === 6 || type === 7) && !hasMessage) ||
      (type === 9 && state.type !== 2 && state.type !== 3)
    ) {
      return discordError(400, 50035, 'Invalid Form Body', {
        type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid' }] },
      });
    }
    if (type === 8) {
      const choices: any[] = data.choices ?? [];
      if (
        choices.length > 25 ||
        choices.some((c) => !c?.name || String(c.name).length > 100 || (typeof c.value === 'string' && c.value.length > 100))
      ) {
        return discordError(400, 50035, 'Invalid Form Body', {
          data: {
            choices: {
              _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'At most 25 choices; names and string values 1-100 characters.' }],
            },
          },
        });
      }
    }
    if (type === 4 || type === 7) {
      const invalid = validateMessage(data, r.files, type === 4);
      if (invalid) return invalid;
    }
    if (type === 9) {
      const invalid = validateModal(data);
      if (invalid) return invalid;
    }
    // In a thread a reply is a message in the thread: refused when it is archived or the bot may not post there.
    if (type === 4 || type === 5 || type === 7) {
      const refused = postRefusal(state.channelId, type !== 7, true);
      if (refused) return refused;
    }
    state.acked = true;
    let message: any;
    if (type === 4 || type === 5) {
      // The "original response"; a deferred one is a loading message (flag 128) until edited.
      message = makeMessage({
        channel_id: state.channelId,
        webhook_id: applicationId,
        application_id: applicationId,
        flags: type === 5 ? 128 | (data.flags ?? 0) : 0,
      });
      if (type === 4) applyBody(message, data, r.files);
      created(message);
      state.originalId = message.id;
    } else if (type === 9) {
      modals.push({ interactionId: state.id, data });
    } else if (type === 6 || type === 7) {
      message = messages.get(state.sourceMessageId!);
      if (type === 7 && message) applyBody(Object.assign(message, { edited_timestamp: new Date().toISOString() }), data, r.files);
      state.originalId = state.sourceMessageId;
    }
    if (r.query.get('with_response') !== 'true') return json(204);
    // discord.js 14.28 always sends ?with_response=false|true; true wants an InteractionCallbackResponse.
    return json(200, {
      interaction: {
        id: state.id,
        type: state.type,
        response_message_id: message?.id,
        response_message_loading: type === 5,
        response_message_ephemeral: Boolean((message?.flags ?? 0) & 64),
      },
      ...(message ? { resource: { type, message } } : type === 9 ? { resource: { type } } : {}),
    });
  });

  // Interaction webhooks: follow-ups and edits of the original response (valid once acknowledged).
  const byToken = (app: string | undefined, token: string | undefined) =>
    app === applicationId ? [...interactions.values()].find((i) => i.token === token) : undefined;
  const webhookMessage = (state: InteractionState, m: string | undefined) =>
    messages.get(m === '@original' ? (state.originalId ?? '') : m!);
  route('POST', '/webhooks/:app/:token', (r, [app, token]) => {
    const state = byToken(app, token);
    if (!state) return discordError(404, 10015, 'Unknown Webhook');
    if (!state.acked) return discordError(404, 10008, 'Unknown Message'); // follow-up before any callback
    const invalid = validateMessage(r.body, r.files, true) ?? postRefusal(state.channelId, true, true);
    if (invalid) return invalid;
    const msg = created(
      applyBody(makeMessage({ channel_id: state.channelId, webhook_id: applicationId, application_id: applicationId }), r.body, r.files),
    );
    return json(r.query.get('wait') === 'false' ? 204 : 200, r.query.get('wait') === 'false' ? undefined : msg);
  });
  route('GET', '/webhooks/:app/:token/messages/:m', (_r, [app, token, m]) => {
    const state = byToken(app, token);
    const msg = state && webhookMessage(state, m);
    return msg ? json(200, msg) : discordError(404, state ? 10008 : 10015, state ? 'Unknown Message' : 'Unknown Webhook');
  });
  route('PATCH', '/webhooks/:app/:token/messages/:m', (r, [app, token, m]) => {
    const state = byToken(app, token);
    if (!state) return discordError(404, 10015, 'Unknown Webhook');
    const msg = webhookMessage(state, m);
    if (!msg) return discordError(404, 10008, 'Unknown Message');
    const invalid = validateMessage(r.body, r.files, false) ?? postRefusal(msg.channel_id, false);
    if (invalid) return invalid;
    applyBody(msg, r.body, r.files);
    msg.flags &= ~128; // editing a deferred reply ends its loading state
    msg.edited_timestamp = new Date().toISOString();
    return json(200, msg);
  });
  route('DELETE', '/webhooks/:app/:token/messages/:m', (_r, [app, token, m]) => {
    const state = byToken(app, token);
    const msg = state && webhookMessage(state, m);
    return msg && messages.delete(msg.id) ? json(204) : discordError(404, 10008, 'Unknown Message');
  });

  function defaultReply(r: RecordedRequest): FakeReply {
    // Interaction callbacks and interaction webhooks are authorised by their token instead.
    const tokenAuthed = r.path.startsWith('/interactions/') || r.path.startsWith('/webhooks/');
    if (!tokenAuthed && r.headers.authorization !== `Bot ${validToken}`) return discordError(401, 0, '401: Unauthorized');
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(r.path);
      if (m && method === r.method) return handler(r, m.slice(1));
    }
    return discordError(404, 0, '404: Not Found');
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Keep unexpected prefixes (e.g. /api/v10/v10/…) visible in the recorded path: they 404.
    const rawPath = url.pathname.startsWith('/api/v10/') ? url.pathname.slice('/api/v10'.length) : url.pathname;
    const path = rawPath
      .split('/')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      })
      .join('/');
    const { body, files } = parseBody(Buffer.concat(chunks), req.headers['content-type']);
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body, files };
    requests.push(recorded);
    let reply: FakeReply;
    try {
      reply =
        interceptors.map((h) => h(recorded)).find((x) => x !== undefined) ??
        (url.pathname.startsWith('/api/v10/') ? defaultReply(recorded) : discordError(404, 0, '404: Not Found'));
    } catch (error) {
      reply = discordError(500, 0, `fake-discord handler threw: ${String(error)}`);
    }
    const headers = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    res.writeHead(reply.status, headers).end(payload);
    notify(requestWaiters, recorded);
  }

  // ---------------------------------------------------------------- gateway

  function send(client: Client, payload: { op: number; d: unknown; t?: string }): void {
    const frame = payload.op === 0 ? { ...payload, s: ++client.seq } : { ...payload, s: null, t: null };
    if (client.socket.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(frame));
  }
  const identifiedClients = (): Client[] => {
    const list = [...clients].filter((c) => c.identified);
    if (!list.length) throw new Error('fake-discord: no gateway client has identified yet (await waitForIdentify() first)');
    return list;
  };
  /** Events of the guild go to the shard that has it, as Discord sends them (or to the one a test names). */
  const dispatch = (t: string, d: unknown, shard = guildShard) => {
    for (const c of identifiedClients()) if (c.identified!.shard[0] === shard) send(c, { op: 0, t, d });
  };
  /** Guild events that follow a REST call may find no gateway client (an HTTP-only bot): then nobody hears them. */
  const guildClients = (intent: number) =>
    [...clients].filter((c) => c.identified && c.identified.shard[0] === guildShard && c.identified.intents & intent);
  /** THREAD_CREATE / THREAD_UPDATE need the Guilds intent. */
  const dispatchThread = (t: string, thread: any, extra: object = {}) => {
    for (const c of guildClients(INTENT_GUILDS)) send(c, { op: 0, t, d: { ...thread, ...extra } });
  };
  /** MESSAGE_UPDATE needs GuildMessages; without MessageContent only the bot's own messages and mentions keep their content. */
  const dispatchMessageUpdate = (msg: any) => {
    for (const c of guildClients(INTENT_GUILD_MESSAGES)) {
      const visible =
        c.identified!.intents & INTENT_MESSAGE_CONTENT ||
        msg.author?.id === botUserId ||
        msg.mentions?.some((u: any) => u.id === botUserId);
      send(c, { op: 0, t: 'MESSAGE_UPDATE', d: visible ? msg : { ...msg, content: '', embeds: [], attachments: [], components: [] } });
    }
  };

  /**
   * A public thread (type 11) in the text channel. Started from a message it takes the message's id, and the
   * message gets the thread (and the HAS_THREAD flag), as Discord fires THREAD_CREATE and then MESSAGE_UPDATE.
   */
  function startThread(opts: { id: string; name: string; ownerId: string; autoArchiveDuration?: number; rateLimitPerUser?: number }) {
    const now = new Date().toISOString();
    const thread = {
      id: opts.id,
      type: 11,
      guild_id: guildId,
      parent_id: channelId,
      owner_id: opts.ownerId,
      name: opts.name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      rate_limit_per_user: opts.rateLimitPerUser ?? 0,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: opts.autoArchiveDuration ?? textChannel.default_auto_archive_duration,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
      },
    };
    threads.set(thread.id, thread);
    dispatchThread('THREAD_CREATE', thread, { newly_created: true });
    const starter = messages.get(thread.id);
    if (starter) {
      starter.thread = thread;
      starter.flags |= 32; // HAS_THREAD
      dispatchMessageUpdate(starter);
    }
    return thread;
  }

  function onGatewayMessage(client: Client, raw: string): void {
    let msg: GatewayMessage;
    try {
      msg = JSON.parse(raw);
    } catch {
      client.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    gatewayMessages.push(msg);
    notify(gatewayWaiters, msg);
    switch (msg.op) {
      case 1:
        send(client, { op: 11, d: null });
        return; // heartbeat -> heartbeat ACK
      case 2: {
        const d = msg.d as { token?: string; intents?: number; shard?: [number, number] };
        if (client.identified) {
          client.socket.close(4005, 'Already authenticated.');
          return;
        }
        if (d.token !== validToken) {
          client.socket.close(4004, 'Authentication failed.');
          return;
        }
        const shard = d.shard ?? [0, 1];
        client.identified = { token: d.token, intents: d.intents ?? 0, shard };
        const hasGuild = shard[0] === guildShard;
        send(client, {
          op: 0,
          t: 'READY',
          d: {
            v: 10,
            user: { ...botUser, verified: true, mfa_enabled: false },
            guilds: hasGuild ? [{ id: guildId, unavailable: true }] : [],
            session_id: randomBytes(16).toString('hex'),
            resume_gateway_url: wsUrl,
            shard,
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            presences: [],
            relationships: [],
            guild_join_requests: [],
          },
        });
        // READY lists the guild as unavailable; discord.js waits for its GUILD_CREATE before clientReady.
        if (hasGuild) send(client, { op: 0, t: 'GUILD_CREATE', d: guild() });
        identifies.push(client.identified);
        notify(identifyWaiters, client.identified);
        return;
      }
      case 6:
        send(client, { op: 9, d: false });
        return; // RESUME: sessions are not kept; "invalid session, re-identify"
      case 3:
      case 4:
      case 8:
        return; // presence, voice state, request guild members: ignored
      default:
        client.socket.close(4001, 'Unknown opcode.');
    }
  }

  // ---------------------------------------------------------------- interactions

  function invoker(opts: InvokerOptions) {
    const member = {
      ...partialMember(),
      user: user(opts.userId ?? userId, opts.username ?? 'tester'),
      permissions: String(opts.permissions ?? EVERYONE_PERMISSIONS),
    };
    return { member };
  }
  /** The channel an invoker acts in: the text channel, or a thread the fake holds. */
  function invokerChannel(opts: { channelId?: string }): string {
    const c = opts.channelId ?? channelId;
    if (!knownChannel(c)) throw new Error(`fake-discord: unknown channel ${c} (the text channel ${channelId} or a thread)`);
    return c;
  }
  /** The partial channel an interaction carries; a thread's has its parent_id and thread_metadata. */
  function interactionChannel(c: string) {
    const thread = threads.get(c);
    if (thread) return { ...thread, permissions: String(botPermissions) };
    return {
      id: channelId,
      type: 0,
      name: textChannel.name,
      guild_id: guildId,
      permissions: String(botPermissions),
      flags: 0,
      parent_id: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      topic: null,
      position: 0,
    };
  }
  function sendInteraction(type: number, data: unknown, opts: InvokerOptions, extra: { message?: unknown; sourceMessageId?: string } = {}) {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb24-${randomBytes(24).toString('base64url')}`;
    identifiedClients(); // fail early, before registering state
    const inChannel = invokerChannel(opts);
    interactions.set(id, {
      id,
      token,
      type,
      createdAt: Date.now(),
      acked: false,
      sourceMessageId: extra.sourceMessageId,
      channelId: inChannel,
    });
    const payload = {
      id,
      token,
      type,
      data,
      application_id: applicationId,
      guild_id: guildId,
      channel_id: inChannel,
      channel: interactionChannel(inChannel),
      guild: { id: guildId, locale: 'en-US', features: [] },
      ...invoker(opts),
      ...(extra.message ? { message: extra.message } : {}),
      app_permissions: String(botPermissions),
      locale: 'en-US',
      guild_locale: 'en-US',
      version: 1,
      // Without these two discord.js throws a TypeError inside its INTERACTION_CREATE handler.
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    dispatch('INTERACTION_CREATE', payload, opts.shard);
    return { id, token };
  }
  const commandId = (name: string) =>
    [...(commands.get(guildId) ?? []), ...(commands.get('global') ?? [])].find((c) => c.name === name)?.id ?? snowflake();

  // ---------------------------------------------------------------- server

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    if (query.get('compress')) {
      // discord.js adds compress=zlib-stream whenever the optional zlib-sync package is installed.
      socket.close(4002, 'fake-discord speaks plain JSON only: remove zlib-sync');
      return;
    }
    if (query.get('encoding') === 'etf') {
      socket.close(4002, 'fake-discord speaks JSON only');
      return;
    }
    const client: Client = { socket, seq: 0 };
    clients.add(client);
    socket.on('message', (data) => onGatewayMessage(client, data.toString()));
    socket.on('close', () => clients.delete(client));
    send(client, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs ?? 41250 } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const wsUrl = `ws://127.0.0.1:${port}`;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    ids: { applicationId, botUserId, guildId, channelId, userId },
    requests,
    gatewayMessages,
    waitForRequest: (match, timeoutMs = 5000) => waitFor(requests, requestWaiters, match, timeoutMs, 'matching request', listRequests),
    waitForGatewayMessage: (match, timeoutMs = 5000) =>
      waitFor(gatewayMessages, gatewayWaiters, match, timeoutMs, 'matching gateway message', () =>
        gatewayMessages.map((m) => `  op ${m.op}`).join('\n'),
      ),
    connectedShards: () =>
      [...clients]
        .flatMap((c) => (c.identified && c.socket.readyState === WebSocket.OPEN ? [c.identified.shard] : []))
        .sort((a, b) => a[0] - b[0]),
    waitForIdentify: (timeoutMs = 5000) => waitFor(identifies.slice(-1), identifyWaiters, () => true, timeoutMs, 'IDENTIFY', listRequests),
    intercept(handler) {
      interceptors.unshift(handler);
      return () => {
        const i = interceptors.indexOf(handler);
        if (i >= 0) interceptors.splice(i, 1);
      };
    },
    sendSlashCommand: (opts) =>
      sendInteraction(
        2,
        { id: commandId(opts.name), name: opts.name, type: 1, guild_id: guildId, ...(opts.options ? { options: opts.options } : {}) },
        opts,
      ),
    sendAutocomplete(opts) {
      if (opts.options.filter((o) => o.focused).length !== 1)
        throw new Error('fake-discord: autocomplete needs exactly one focused option');
      return sendInteraction(4, { id: commandId(opts.name), name: opts.name, type: 1, guild_id: guildId, options: opts.options }, opts);
    },
    sendButton(opts) {
      const message = messageFromSpec(opts.message, botUser, invokerChannel(opts));
      return sendInteraction(3, { custom_id: opts.customId, component_type: 2 }, opts, { message, sourceMessageId: message.id });
    },
    sendModalSubmit(opts) {
      const inChannel = invokerChannel(opts);
      // Discord numbers the components it did not get ids for: a label, then the input inside it.
      let n = 0;
      const components = Object.entries(opts.fields).map(([customId, value]) => ({
        type: 18,
        id: ++n,
        component: Array.isArray(value)
          ? { type: 3, id: ++n, custom_id: customId, values: value }
          : { type: 4, id: ++n, custom_id: customId, value },
      }));
      const message = opts.message && messageFromSpec(opts.message, botUser, inChannel);
      return sendInteraction(5, { custom_id: opts.customId, components }, opts, message ? { message, sourceMessageId: message.id } : {});
    },
    sendMessageContextMenu(opts) {
      const target = messageFromSpec(opts.targetMessage, user(userId), invokerChannel(opts));
      return sendInteraction(
        2,
        {
          id: commandId(opts.name),
          name: opts.name,
          type: 3,
          guild_id: guildId,
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
        },
        opts,
      );
    },
    sendMessage(opts) {
      const mention = new RegExp(`<@!?${botUserId}>`);
      const mentionsBot = opts.mentionsBot ?? mention.test(opts.content);
      // Discord derives mentions from the content: a mention of the bot needs its <@id> token.
      const content = mentionsBot && !mention.test(opts.content) ? `<@${botUserId}> ${opts.content}` : opts.content;
      const inChannel = invokerChannel(opts);
      const thread = threads.get(inChannel);
      if (thread?.thread_metadata.locked) throw new Error(`fake-discord: thread ${inChannel} is locked; a member cannot post in it`);
      if (thread?.thread_metadata.archived) {
        // A member's message reopens an archived thread that is not locked.
        Object.assign(thread.thread_metadata, { archived: false, archive_timestamp: new Date().toISOString() });
        dispatchThread('THREAD_UPDATE', thread);
      }
      const msg = makeMessage({
        channel_id: inChannel,
        author: user(opts.authorId ?? userId, opts.username ?? 'tester'),
        content,
        mentions: mentionsBot ? [{ ...botUser, member: partialMember([botRoleId]) }] : [],
      });
      created(msg);
      // MESSAGE_CREATE needs GuildMessages; without MessageContent the content is empty unless the bot is mentioned.
      for (const c of identifiedClients()) {
        const intents = c.identified!.intents;
        if (!(intents & INTENT_GUILD_MESSAGES)) continue;
        const visible = mentionsBot || intents & INTENT_MESSAGE_CONTENT;
        send(c, {
          op: 0,
          t: 'MESSAGE_CREATE',
          d: { ...msg, ...(visible ? {} : { content: '', embeds: [], attachments: [], components: [] }), member: partialMember() },
        });
      }
      return { id: msg.id };
    },
    modalsShown: () => modals.map((m) => ({ ...m })),
    createThread(opts) {
      if (opts.messageId !== undefined) {
        const starter = messages.get(opts.messageId);
        if (!starter || starter.channel_id !== channelId) throw new Error(`fake-discord: no message ${opts.messageId} in the text channel`);
        if (threads.has(opts.messageId)) throw new Error(`fake-discord: message ${opts.messageId} already has a thread`);
      }
      const thread = startThread({
        id: opts.messageId ?? snowflake(),
        name: opts.name,
        ownerId: opts.ownerId ?? userId,
        autoArchiveDuration: opts.autoArchiveDuration,
      });
      return structuredClone(thread);
    },
    archiveThread(threadId, opts = {}) {
      const thread = threads.get(threadId);
      if (!thread) throw new Error(`fake-discord: no thread ${threadId}`);
      Object.assign(thread.thread_metadata, { archived: true, archive_timestamp: new Date().toISOString() });
      if (opts.locked !== undefined) thread.thread_metadata.locked = opts.locked;
      dispatchThread('THREAD_UPDATE', thread);
    },
    threads: () => [...threads.values()].map((t) => structuredClone(t)),
    sendGatewayDispatch: (t, d) => dispatch(t, d),
    closeGateway(code, reason = 'closed by the test') {
      for (const c of clients) c.socket.close(code, reason);
    },
    async close() {
      for (const set of [requestWaiters, gatewayWaiters, identifyWaiters] as Array<Set<Waiter<any>>>) {
        for (const w of set) {
          clearTimeout(w.timer);
          w.reject(new Error('fake-discord closed'));
        }
        set.clear();
      }
      for (const c of clients) c.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections(); // undici keeps sockets alive; without this close() waits for them
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** JSON bodies, or discord.js' multipart uploads (`payload_json` plus `files[n]` parts). */
function parseBody(raw: Buffer, contentType: string | undefined): { body: any; files: RecordedFile[] } {
  if (!raw.length) return { body: undefined, files: [] };
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) {
    try {
      return { body: JSON.parse(raw.toString('utf8')), files: [] };
    } catch {
      return { body: raw.toString('utf8'), files: [] };
    }
  }
  let body: any;
  const files: RecordedFile[] = [];
  // latin1 maps bytes 1:1 to chars, so file contents survive the split.
  for (const part of raw.toString('latin1').split(`--${boundary}`).slice(1, -1)) {
    const split = part.indexOf('\r\n\r\n');
    const head = part.slice(0, split);
    const data = Buffer.from(part.slice(split + 4, part.endsWith('\r\n') ? -2 : undefined), 'latin1');
    const field = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename !== undefined) files.push({ field, filename, contentType: /content-type:\s*(\S+)/i.exec(head)?.[1] ?? '', data });
    else if (field === 'payload_json') body = JSON.parse(data.toString('utf8'));
  }
  return { body, files };
}
