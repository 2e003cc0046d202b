import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST, type RESTOptions } from 'discord.js';
import { DEFER_AFTER_MS } from '../bot/dispatch.ts';
import { UserFacingError, type BotServices, type DiscordActions } from '../bot/types.ts';
import { ConfigError, type Config } from '../config.ts';
import { describeError } from '../core/errors.ts';
import type { LogContext } from '../logger.ts';
import type { BaseServices } from '../bot/types.ts';
import { createInteractionHandler } from './http/handle.ts';
import { BodyTooLarge, ClientGone, LogThrottle, readBody, REJECTED_LOG_LINES_PER_MINUTE, sendJson, sendText } from './http/transport.ts';
import { createVerifier } from './http/verify.ts';
import { restActions } from './rest-actions.ts';

/**
 * HTTP interactions: Discord POSTs every interaction to `POST /interactions`, signed with the
 * application's Ed25519 key, and the HTTP response is the answer. The same dispatcher as the
 * gateway and the console serves every command and button; this file is the server (routes, body, signature, logging); `http/interactions.ts` turns a verified body into its answer.
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
  const interactions = createInteractionHandler({
    services,
    rest,
    logger,
    deferAfterMs,
    rememberIdsMs: 2 * 1000 * (options.maxSignatureAgeSeconds ?? 300),
    now,
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse, context: LogContext): Promise<void> {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    context.path = path.length > 100 ? `${path.slice(0, 100)}…` : path;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      // A load balancer takes a replica whose database it cannot reach out of rotation (503).
      const store = await base.store.health();
      const worker = cluster.worker?.id;
      const body = {
        ok: store.ok,
        store,
        reports: base.library.reports.length,
        paragraphs: base.library.paragraphCount,
        ...(worker && { worker }),
      };
      return sendJson(res, store.ok ? 200 : 503, body);
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
    return interactions.handle(res, raw, context);
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
    if (interactions.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...interactions.pending]), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    logger.info('stopped HTTP interactions');
  }
  return { port, stop: () => (stopping ??= stop()) };
}
