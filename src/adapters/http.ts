import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST, Routes, type RESTOptions } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import { splitCustomId } from '../bot/custom-ids.ts';
import { DEFER_AFTER_MS, dispatchAutocomplete, dispatchCommand, dispatchComponent, expectsEphemeralReply } from '../bot/dispatch.ts';
import { errorReply, toMessagePayload } from '../bot/reply.ts';
import { UserFacingError, type BotReply, type BotServices, type DiscordActions } from '../bot/types.ts';
import { ConfigError, type Config } from '../config.ts';
import type { LogContext } from '../logger.ts';
import type { BaseServices } from './gateway.ts';
import { MalformedInteraction, parseInteraction, type ParsedInteraction } from './http/interaction.ts';
import { createVerifier } from './http/verify.ts';
import { respond, SLOW, within, type Deferral, type InteractionResponder } from './respond.ts';
import { restActions } from './rest-actions.ts';
import { describeError } from '../core/errors.ts';

/**
 * HTTP interactions: Discord POSTs every interaction to `POST /interactions`, signed with the
 * application's Ed25519 key, and the HTTP response is the answer. The same dispatcher as the
 * gateway and the console serves every command and button; this file only speaks HTTP.
 *
 * - The signature is checked on the raw bytes before anything is parsed; any failure is a 401.
 * - A handler slower than `deferAfterMs` gets a deferred response (Discord wants an answer within
 *   3 s); the reply then goes through the interaction webhook, which needs no bot token.
 * - Pins are REST calls made as the bot, so they need DISCORD_TOKEN; everything else works without.
 */

/** Interactions are a few KB; anything near this is not from Discord. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpInteractionsOptions {
  /** Default '0.0.0.0': Discord must be able to reach it. Tests use '127.0.0.1'. */
  host?: string;
  /** Default config.port; 0 picks a free port (the returned `port` is the real one). */
  port?: number;
  deferAfterMs?: number;
  maxBodyBytes?: number;
  /** How far the signature timestamp may be from our clock, both ways. Default 300 s. */
  maxSignatureAgeSeconds?: number;
  /** Milliseconds since the epoch, for the signature window; injectable for tests. */
  now?: () => number;
  /** Passed to discord.js' REST (e.g. `{ retries: 0, timeout: 3000 }` in tests). */
  rest?: Partial<RESTOptions>;
}

export interface HttpInteractionsServer {
  port: number;
  stop(): Promise<void>;
}

export const PINS_NEED_TOKEN =
  'Pinning needs DISCORD_TOKEN in HTTP interactions mode: interactions arrive without one, but pins are REST calls made as the bot. Set DISCORD_TOKEN in .env (it is then used for REST only).';

/** Pins over REST with the bot token; without one, only links work and pins fail with a clear error. */
function discordActions(rest: REST, hasToken: boolean): DiscordActions {
  const actions = restActions(rest);
  if (hasToken) return actions;
  const refuse = async (): Promise<never> => {
    throw new UserFacingError(PINS_NEED_TOKEN);
  };
  return { ...actions, pinMessage: refuse, unpinMessage: refuse, listPinnedMessages: refuse };
}

class BodyTooLarge extends Error {}
/** The client hung up before sending its whole body: nothing to answer, nothing wrong with us. */
class ClientGone extends Error {}

/**
 * Interaction ids already handled, kept for as long as a signature stays valid: a replayed
 * request (same id, within the window) is refused instead of being handled again.
 */
class SeenInteractions {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly keepMs: number,
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** True the first time an id is offered; false after. */
  firstTime(id: string): boolean {
    const now = this.now();
    for (const [seenId, until] of this.seen) {
      if (until > now && this.seen.size < this.limit) break;
      this.seen.delete(seenId);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + this.keepMs);
    return true;
  }
}

/** Anyone can send requests that get refused: each address gets a few log lines a minute, then one summary. */
class LogThrottle {
  private readonly counts = new Map<string, { windowStart: number; count: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** 'log' within the budget, 'summarise' when it is just spent, 'drop' after. */
  check(address: string): 'log' | 'summarise' | 'drop' {
    const now = this.now();
    let entry = this.counts.get(address);
    if (!entry || now - entry.windowStart >= 60_000) {
      if (this.counts.size > 10_000) this.counts.clear();
      entry = { windowStart: now, count: 0 };
      this.counts.set(address, entry);
    }
    entry.count++;
    if (entry.count <= this.perMinute) return 'log';
    return entry.count === this.perMinute + 1 ? 'summarise' : 'drop';
  }
}

const REJECTED_LOG_LINES_PER_MINUTE = 10;
const SEEN_INTERACTIONS_LIMIT = 50_000;

/** The raw body, up to `limit` bytes; past it, stops reading and throws BodyTooLarge. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(new BodyTooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onClose = () => done(new ClientGone('the client closed the connection before the body ended'));
    // Node reports a connection dropped mid-body as an "aborted" error (ECONNRESET).
    const onError = (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNRESET' || error.message === 'aborted' ? new ClientGone(error.message) : error);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown): void => send(res, status, JSON.stringify(body), 'application/json');
const sendText = (res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void =>
  send(res, status, `${text}\n`, 'text/plain; charset=utf-8', headers);

/** Resolves true once the response has been handed to the socket, false if the connection went first. */
function flushed(res: ServerResponse): Promise<boolean> {
  if (res.writableFinished) return Promise.resolve(true);
  return new Promise((resolve) => {
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}

export async function startHttpInteractions(
  config: Config,
  base: BaseServices,
  options: HttpInteractionsOptions = {},
): Promise<HttpInteractionsServer> {
  const { logger } = base;
  if (!config.publicKey)
    throw new ConfigError([
      'DISCORD_PUBLIC_KEY is needed for HTTP interactions: copy the Public Key from the Developer Portal → General Information.',
    ]);
  const verifySignature = createVerifier(config.publicKey, {
    ...(options.maxSignatureAgeSeconds !== undefined && { maxAgeSeconds: options.maxSignatureAgeSeconds }),
    ...(options.now && { now: options.now }),
  });
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const seenInteractions = new SeenInteractions(2 * 1000 * (options.maxSignatureAgeSeconds ?? 300), SEEN_INTERACTIONS_LIMIT, now);
  const rejectedLogs = new LogThrottle(REJECTED_LOG_LINES_PER_MINUTE, now);

  // One REST client: interaction webhooks go without auth; pins, if there is a token, as the bot.
  const rest = new REST({ ...options.rest, api: config.apiUrl });
  if (config.discordToken) rest.setToken(config.discordToken);
  else logger.warn('no DISCORD_TOKEN: answers work, but pinning answers will fail until it is set');
  rest.on('rateLimited', (info) => logger.warn('rate limited', { route: info.route, retryAfterMs: info.retryAfter }));

  const services: BotServices = {
    ...base,
    discord: discordActions(rest, config.discordToken !== undefined),
    botUserId: config.applicationId,
  };
  /** A bot's user id equals its application id; the interaction names it if the config does not. */
  const servicesFor = (interaction: { applicationId: string }): BotServices =>
    services.botUserId !== undefined ? services : { ...services, botUserId: interaction.applicationId };

  /** Deferred replies still being sent; stop() waits for them. */
  const pending = new Set<Promise<void>>();

  function track(promise: Promise<void>): void {
    const guarded = promise.catch((error: unknown) => logger.error('deferred reply failed', { error: describeError(error) }));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  }

  /** Answers a command or button: at once if the handler is quick, else deferred and finished over REST. */
  /** Speaks the shared answering procedure (respond.ts) over this request's response and the interaction webhook. */
  function responderFor(
    res: ServerResponse,
    interaction: Extract<ParsedInteraction, { kind: 'command' | 'component' }>,
  ): InteractionResponder {
    const { applicationId, token } = interaction;
    const original = Routes.webhookMessage(applicationId, token, '@original');
    const withoutFlags = (reply: BotReply) => {
      const { flags: _flags, ...edit } = toMessagePayload(reply);
      return edit;
    };
    return {
      async reply(reply) {
        if (interaction.kind === 'component' && reply.updateMessage)
          sendJson(res, 200, { type: InteractionResponseType.UpdateMessage, data: withoutFlags(reply) });
        else sendJson(res, 200, { type: InteractionResponseType.ChannelMessageWithSource, data: toMessagePayload(reply) });
      },
      defer(deferral) {
        if (deferral.kind === 'update') sendJson(res, 200, { type: InteractionResponseType.DeferredMessageUpdate });
        else
          sendJson(res, 200, {
            type: InteractionResponseType.DeferredChannelMessageWithSource,
            data: deferral.ephemeral ? { flags: MessageFlags.Ephemeral } : {},
          });
        return flushed(res);
      },
      editOriginal: async (reply) => void (await rest.patch(original, { body: withoutFlags(reply), auth: false })),
      deleteOriginal: async () => void (await rest.delete(original, { auth: false })),
      followUp: async (reply) =>
        void (await rest.post(Routes.webhook(applicationId, token), { body: toMessagePayload(reply), auth: false })),
    };
  }

  /** Answers a command or button: at once if the handler is quick, else deferred and finished over REST in the background. */
  async function answer(
    res: ServerResponse,
    interaction: Extract<ParsedInteraction, { kind: 'command' | 'component' }>,
    work: Promise<BotReply>,
    context: LogContext,
  ): Promise<void> {
    // A button shows its loading state; a command's placeholder visibility cannot change later, so it is guessed and fixed up if wrong.
    const deferral: Deferral =
      interaction.kind === 'component' ? { kind: 'update' } : { kind: 'message', ephemeral: expectsEphemeralReply(interaction.invocation) };
    const logged = { kind: context.kind, name: context.name, guild: context.guild };
    await respond(work, responderFor(res, interaction), {
      deferAfterMs,
      deferral,
      onDeferred: (rest) => {
        context.deferred = true;
        const started = performance.now();
        track(
          rest.then(
            (how) => {
              if (how === 'placeholder not delivered') logger.warn('deferred response not delivered; dropping the reply', logged);
              else logger.info('deferred reply sent', { ...logged, how, ms: Math.round(performance.now() - started) });
            },
            (error: unknown) => {
              const status =
                typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
                  ? error.status
                  : undefined;
              logger.error('deferred reply failed', {
                ...logged,
                status,
                ms: Math.round(performance.now() - started),
                error: describeError(error).replaceAll(interaction.token, '[token]'),
              });
            },
          ),
        );
      },
    });
  }

  async function handleInteraction(res: ServerResponse, raw: Buffer, context: LogContext): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      context.reason = 'malformed JSON';
      return sendText(res, 400, 'malformed JSON');
    }
    let interaction: ParsedInteraction;
    try {
      interaction = parseInteraction(body);
    } catch (error) {
      if (!(error instanceof MalformedInteraction)) throw error;
      context.reason = error.message;
      return sendText(res, 400, `malformed interaction: ${error.message}`);
    }
    if (interaction.kind === 'ping') {
      context.kind = 'ping';
      return sendJson(res, 200, { type: InteractionResponseType.Pong });
    }
    if (!seenInteractions.firstTime(interaction.id)) {
      context.reason = 'interaction already handled (a replay)';
      return sendText(res, 409, 'interaction already handled');
    }
    context.guild = interaction.invocation.guildId ?? 'none';
    const services = servicesFor(interaction);
    switch (interaction.kind) {
      case 'command': {
        Object.assign(context, { kind: 'command', name: interaction.invocation.commandName });
        // The dispatcher catches every handler's failure and answers it: no second guard here.
        const work = dispatchCommand(interaction.invocation, services);
        return answer(res, interaction, work, context);
      }
      case 'component': {
        Object.assign(context, { kind: 'button', name: splitCustomId(interaction.invocation.customId).prefix });
        const work = dispatchComponent(interaction.invocation, services);
        return answer(res, interaction, work, context);
      }
      case 'autocomplete': {
        Object.assign(context, { kind: 'autocomplete', name: interaction.invocation.commandName });
        // Autocomplete cannot be deferred: past the deadline, offer nothing rather than fail.
        const choices = await within(dispatchAutocomplete(interaction.invocation, services), deferAfterMs);
        if (choices === SLOW) context.reason = 'autocomplete too slow';
        return sendJson(res, 200, {
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: choices === SLOW ? [] : choices },
        });
      }
      case 'unsupported': {
        Object.assign(context, { kind: `type ${interaction.type}` });
        if (interaction.type === InteractionType.ModalSubmit) {
          return sendJson(res, 200, {
            type: InteractionResponseType.ChannelMessageWithSource,
            data: toMessagePayload(errorReply('That form does not do anything any more.')),
          });
        }
        context.reason = 'unsupported interaction type';
        return sendText(res, 400, 'unsupported interaction type');
      }
    }
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse, context: LogContext): Promise<void> {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    context.path = path.length > 100 ? `${path.slice(0, 100)}…` : path;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return sendJson(res, 200, { ok: true, reports: base.library.reports.length, paragraphs: base.library.paragraphCount });
    }
    if (path !== '/interactions') return sendText(res, 404, 'not found');
    if (req.method !== 'POST') return sendText(res, 405, 'method not allowed', { allow: 'POST' });

    let raw: Buffer;
    try {
      raw = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof ClientGone) {
        context.gone = true;
        return;
      }
      if (!(error instanceof BodyTooLarge)) throw error;
      context.reason = 'body too large';
      // Stop reading: answer, then drop the connection rather than drain what is left.
      res.once('finish', () => req.socket.destroy());
      return sendText(res, 413, 'payload too large', { connection: 'close' });
    }
    const verified = verifySignature(req.headers, raw);
    if (!verified.ok) {
      context.reason = verified.reason;
      return sendText(res, 401, 'invalid request signature');
    }
    return handleInteraction(res, raw, context);
  }

  const server = createServer({ requestTimeout: 15_000, headersTimeout: 10_000 }, (req, res) => {
    const started = performance.now();
    const context: LogContext = { method: req.method };
    handleRequest(req, res, context)
      .catch((error: unknown) => {
        context.error = describeError(error, { stack: true });
        if (!res.headersSent) sendText(res, 500, 'internal error');
        else res.destroy();
      })
      .finally(() => {
        const status = res.headersSent ? res.statusCode : 0;
        const { kind, name, guild, deferred, reason, method, path, error } = context;
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const line: LogContext = { kind, name, guild, status, ms, deferred, reason, method, path, error };
        const address = req.socket.remoteAddress ?? 'unknown';
        if (context.gone) logger.debug('http client hung up before its body ended', { method, path, address });
        else if (status >= 500 || context.error) logger.error('http request failed', line);
        else if (status >= 400) {
          const verdict = rejectedLogs.check(address);
          if (verdict === 'log') logger.warn('http request rejected', { ...line, address });
          else if (verdict === 'summarise')
            logger.warn('http requests rejected: more from this address this minute are not logged', { address });
        }
        // A handled interaction already has its info line from the dispatcher (guild, command, duration).
        else logger.debug('http request', line);
      })
      .catch(() => undefined);
  });

  const host = options.host ?? config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('http server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;
  logger.info('listening for HTTP interactions', {
    host,
    port,
    path: '/interactions',
    pins: config.discordToken ? 'enabled' : 'need DISCORD_TOKEN',
  });

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Deferred replies already promised to users: give them a moment to go out.
    if (pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    logger.info('stopped HTTP interactions');
  }
  return { port, stop: () => (stopping ??= stop()) };
}
