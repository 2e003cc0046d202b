import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.ts';

/**
 * HTTP interactions on several worker processes sharing one port (WORKERS). The primary process
 * only supervises: it starts the workers, starts again one that dies, passes SIGHUP and /reload
 * to all of them, and stops them on SIGTERM/SIGINT. Each worker is a whole bot (knowledge,
 * search, store connection) listening on the shared port, where node:cluster spreads the
 * connections between them.
 */

/** What a worker asks of the primary, and the primary of the workers. */
const RELOAD_MESSAGE = 'report-bot:reload';

/** A worker dying more often than this, in a minute, is a bug to look at, not bad luck: stop. */
const MAX_RESTARTS_PER_MINUTE = 5;
const RESTART_DELAY_MS = 1000;
/** How long workers get to finish what they are doing on shutdown before they are killed. */
const STOP_GRACE_MS = 10_000;

export interface ClusterOptions {
  workers: number;
  logger: Logger;
  /** The process exits with this code once every worker is gone. */
  exit?: (code: number) => void;
}

export function runHttpPrimary({ workers, logger, exit = (code) => process.exit(code) }: ClusterOptions): void {
  let stopping = false;
  let exitCode = 0;
  const restarts: number[] = [];
  let listening = 0;

  const start = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      // A /reload in one worker reloads the others too, so that every worker serves the same reports.
      if (message === RELOAD_MESSAGE) for (const other of liveWorkers()) if (other !== worker) other.send(RELOAD_MESSAGE);
    });
    worker.once('listening', (address) => {
      listening++;
      if (listening === workers) logger.info('ready', { workers, port: address.port });
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (liveWorkers().length === 0) exit(exitCode);
      return;
    }
    logger.error('HTTP worker died; starting another', { worker: worker.id, code, signal: signal ?? undefined });
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.error('HTTP workers keep dying: stopping', { restartsInLastMinute: restarts.length });
      exitCode = 1;
      stopAll();
      return;
    }
    setTimeout(() => {
      if (!stopping) start();
    }, RESTART_DELAY_MS).unref();
  });

  function stopAll(): void {
    stopping = true;
    const alive = liveWorkers();
    if (alive.length === 0) exit(exitCode);
    for (const worker of alive) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of liveWorkers()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  }

  process.once('SIGTERM', () => {
    logger.info('shutting down', { signal: 'SIGTERM', workers: liveWorkers().length });
    stopAll();
  });
  process.once('SIGINT', () => {
    logger.info('shutting down', { signal: 'SIGINT', workers: liveWorkers().length });
    stopAll();
  });
  process.on('SIGHUP', () => {
    for (const worker of liveWorkers()) worker.process.kill('SIGHUP');
  });

  logger.info('starting HTTP workers', { workers });
  for (let index = 0; index < workers; index++) start();
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
}

/** In a worker: tell the primary that this worker reloaded, so the others do too. No-op in a single process. */
export function shareReload(): void {
  if (cluster.isWorker) process.send?.(RELOAD_MESSAGE);
}

/** In a worker: run `reload` when another worker reloaded. */
export function onSharedReload(reload: () => void): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: unknown) => {
    if (message === RELOAD_MESSAGE) reload();
  });
}

export const isHttpWorker = (): boolean => cluster.isWorker;
