import 'dotenv/config';
import cluster from 'node:cluster';
import { startConsole } from './adapters/console.ts';
import { startGateway } from './adapters/gateway.ts';
import { startHttpInteractions } from './adapters/http.ts';
import { MemoryConversations, StoredConversations } from './bot/conversations.ts';
import type { BaseServices } from './bot/types.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { ReportLibrary } from './core/answer/library.ts';
import { KnowledgeDirError, KnowledgeError, loadServableKnowledge } from './core/knowledge/load.ts';
import { formatIssue } from './core/knowledge/validate.ts';
import { isHttpWorker, onSharedReload, runHttpPrimary, shareReload } from './http-cluster.ts';
import { KnowledgeReloader } from './knowledge-reloader.ts';
import { createLogger, markStderrClosed, type Logger } from './logger.ts';
import { openConfiguredStore, storeLocation } from './store/open-store.ts';
import { DatabaseOpenError } from './store/postgres-store.ts';
import { StoreOpenError } from './store/sqlite-store.ts';
import { describeError } from './core/errors.ts';

/**
 * `npm start`. Which way the bot talks to Discord depends on the configuration:
 * - DISCORD_PUBLIC_KEY set: serve HTTP interactions on PORT (the token, if set, is used for REST only);
 * - else DISCORD_TOKEN set: log in through the gateway;
 * - else: the local console on this terminal, so anyone can try the bot without Discord.
 */
type Mode = 'http' | 'gateway' | 'console';

function chooseMode(config: Config): Mode {
  if (config.publicKey) return 'http';
  if (config.discordToken) return 'gateway';
  return 'console';
}

/** The system error code of an error or of any error it wraps (fetch wraps ECONNREFUSED in a TypeError). */
function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ('code' in current && typeof current.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(current.code)) return current.code;
    if (current.name === 'AbortError' || current.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Problems an operator can fix: one clear message, exit code 1, no stack trace. */
function explainStartupFailure(error: unknown, config: Config | undefined): string | undefined {
  // Before the network codes: a database that is down says so, not "could not reach Discord".
  if (error instanceof DatabaseOpenError || error instanceof StoreOpenError) return error.message;
  const code = systemCode(error);
  if (code === 'EADDRNOTAVAIL' && config)
    return `HOST (${config.host}) is not an address of this machine. Set HOST to 0.0.0.0 (every address) or 127.0.0.1 (behind a reverse proxy).`;
  if (code === 'EACCES' && config)
    return `Not allowed to listen on port ${config.port} (ports below 1024 need privileges). Set PORT to 1024 or above.`;
  if (code !== undefined && UNREACHABLE.has(code) && config) {
    return `Could not reach Discord at ${config.apiUrl} (${code}). Check this machine's network and firewall, or DISCORD_API_URL if you set it.`;
  }
  if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof KnowledgeDirError) return error.message;
  if (error instanceof Error && 'code' in error && error.code === 'TokenInvalid') {
    return 'Discord rejected DISCORD_TOKEN (401 Unauthorized). Reset the token in the Developer Portal → Bot, put the new one in .env, and start again.';
  }
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')
    return `The port is already in use: ${error.message}. Set PORT to a free port.`;
  return undefined;
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED');
}

/**
 * A closed stdout or stderr (`npm start | head`) must not spin: logging into the broken pipe
 * fails, and logging that failure fails again. The console's answers go to stdout, so it exits
 * when stdout is gone; the servers keep serving with their logs quiet.
 */
function installPipeGuards(mode: 'console' | 'server'): void {
  process.stderr.on('error', (error) => {
    if (isBrokenPipe(error)) markStderrClosed();
  });
  process.stdout.on('error', (error) => {
    if (!isBrokenPipe(error)) return;
    if (mode === 'console') process.exit(0);
  });
}

function installProcessGuards(logger: Logger): void {
  // One bad interaction must never take the bot down: log what escaped and keep serving.
  process.on('unhandledRejection', (reason) => {
    if (!isBrokenPipe(reason)) logger.error('unhandled rejection', { error: describeError(reason, { stack: true }) });
  });
  process.on('uncaughtException', (error) => {
    if (isBrokenPipe(error)) markStderrClosed();
    else logger.error('uncaught exception', { error: error.stack ?? error.message });
  });
}

let startedConfig: Config | undefined;

async function main(): Promise<void> {
  const config = readConfig(process.env);
  startedConfig = config;
  const mode = chooseMode(config);
  // On a terminal the console's answers and its log would share the screen: only warnings show there, unless LOG_LEVEL says otherwise.
  const onTerminal = mode === 'console' && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const logger = createLogger(onTerminal && !config.logLevelSet ? 'warn' : config.logLevel);
  installPipeGuards(chooseMode(config) === 'console' ? 'console' : 'server');
  installProcessGuards(logger);

  const { knowledgeDir } = config;
  const loaded = loadServableKnowledge(knowledgeDir);
  // One invalid folder does not stop the others: it is skipped, loudly.
  for (const error of loaded.errors) logger.error('invalid knowledge, report skipped', { problem: formatIssue(error) });
  const library = new ReportLibrary(loaded.knowledge);
  const reloader = new KnowledgeReloader(knowledgeDir, library, logger);
  reloader.started(loaded.folders);
  const store = await openConfiguredStore(config, logger);
  if (mode === 'http' && config.workers > 1 && !isHttpWorker()) {
    // The checks above (configuration, knowledge, database and its migrations) ran once, here:
    // a problem is one message, not one per worker. The workers then do the serving.
    await store.close();
    runHttpPrimary({ workers: config.workers, logger });
    return;
  }
  const reloadKnowledge = async () => {
    shareReload();
    return reloader.reload('/reload');
  };
  reloader.watch();
  process.on('SIGHUP', () => reloader.reload('SIGHUP'));
  onSharedReload(() => reloader.reload('/reload in another worker'));
  // HTTP interactions may reach any process: their conversations live in the store, the others' in memory.
  const conversations = mode === 'http' ? new StoredConversations(store) : new MemoryConversations();
  const base: BaseServices = { library, store, conversations, logger, reloadKnowledge };
  logger.info('starting', {
    mode,
    reports: library.reports.length,
    paragraphs: library.paragraphCount,
    database: storeLocation(config),
    ...(isHttpWorker() && { worker: cluster.worker?.id }),
  });

  let stop: () => Promise<void>;
  if (mode === 'console') {
    // The console ends by itself at the end of input (a pipe or Ctrl-D).
    await startConsole(base, process.stdin, process.stdout);
    reloader.close();
    await store.close();
    return;
  }
  if (mode === 'http') {
    const server = await startHttpInteractions(config, base);
    stop = server.stop;
  } else {
    const bot = await startGateway(config, base, {
      // Discord will not take the connection back: exit non-zero so a supervisor sees a failure.
      onFatal: (message) => {
        process.stderr.write(`${message}\n`);
        process.exit(1);
      },
    });
    stop = bot.stop;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    reloader.close();
    stop()
      .then(() => store.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error: describeError(error) });
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // A worker whose primary is gone (killed) would serve unsupervised: stop with it.
  if (isHttpWorker()) process.once('disconnect', () => shutdown('primary gone'));
}

main().catch((error: unknown) => {
  const explained = explainStartupFailure(error, startedConfig);
  process.stderr.write(`${explained ?? `Report Bot could not start: ${describeError(error, { stack: true })}`}\n`);
  process.exit(1);
});
