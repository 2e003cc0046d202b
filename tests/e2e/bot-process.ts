/**
 * Runs the bot the way `npm start` does (`tsx src/main.ts`, here as `node --import tsx`), as a
 * child process pointed at a fake Discord, and reads its log lines from stderr.
 *
 * The child gets a clean environment with every configuration key set explicitly: dotenv never
 * overrides a variable that is already set, so a developer's own .env cannot leak into a test
 * (an empty value counts as unset in src/config.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FakeDiscord } from '../fake-discord/fake-discord.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long the bot may take to start (tsx compile, knowledge, SQLite, login). */
export const START_TIMEOUT_MS = 15_000;
export const STOP_TIMEOUT_MS = 10_000;

/** A token of the shape src/config.ts accepts: base64url(application id).timestamp.hmac. */
export function botToken(applicationId: string, secret = 'fake-hmac-part-for-tests'): string {
  return `${Buffer.from(applicationId).toString('base64url')}.GzE2MA.${secret}`;
}

/** Every key src/config.ts reads, so nothing comes from a .env file. */
export function botEnv(
  fake: FakeDiscord,
  token: string,
  databasePath: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // dotenv 17 prints a tip to stdout on every load; keep the output to what the bot says.
    DOTENV_CONFIG_QUIET: 'true',
    DISCORD_TOKEN: token,
    DISCORD_APPLICATION_ID: fake.ids.applicationId,
    DISCORD_GUILD_ID: '',
    DISCORD_PUBLIC_KEY: '',
    DISCORD_API_URL: fake.apiUrl,
    PORT: '',
    DATABASE_PATH: databasePath,
    DATABASE_URL: '',
    WORKERS: '',
    SHARDS: '',
    SHARD_IDS: '',
    MESSAGE_CONTENT_INTENT: '',
    LOG_LEVEL: 'debug',
    KNOWLEDGE_DIR: '',
    ...overrides,
  };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  child: ChildProcess;
  /** Every stderr line so far (the logger writes one line per event there). */
  lines: string[];
  stdout: string[];
  exited: Promise<Exit>;
  /** The number of lines so far: pass it as `after` to only look at what comes next. */
  mark(): number;
  /** The first line at index >= after matching the pattern; rejects on timeout or exit. */
  waitForLog(pattern: RegExp, options?: { after?: number; timeoutMs?: number }): Promise<string>;
  /** SIGTERM, then wait for the exit (SIGKILL and reject if it does not come). */
  stop(): Promise<Exit>;
  /** stderr as one string, for failure messages. */
  log(): string;
}

export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stdout: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line);
    wake();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));

  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      // stderr may still hold lines after 'exit'; 'close' means every stream is done.
      child.once('close', () => {
        exit = { code, signal };
        wake();
        resolve(exit);
      });
    });
  });
  const log = () => lines.join('\n') || '(no output on stderr)';

  return {
    child,
    lines,
    stdout,
    exited,
    log,
    mark: () => lines.length,
    waitForLog(pattern, { after = 0, timeoutMs = 5000 } = {}) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const found = lines.slice(after).find((line) => pattern.test(line));
          if (found !== undefined) {
            done();
            resolve(found);
            return;
          }
          if (exit) {
            done();
            reject(new Error(`bot exited (code ${exit.code}, signal ${exit.signal}) without logging ${pattern}; stderr:\n${log()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no log line matching ${pattern} after ${timeoutMs} ms; stderr:\n${log()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (!exit) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`bot did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; stderr:\n${log()}`));
        }, STOP_TIMEOUT_MS);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Starts the bot and waits for its 'ready' log line. */
export async function startReadyBot(env: Record<string, string>): Promise<BotProcess> {
  const bot = startBotProcess(env);
  try {
    await bot.waitForLog(/ INFO +ready\b/, { timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    await bot.stop().catch(() => undefined);
    throw error;
  }
  return bot;
}

/** Waits for a process that should exit by itself (e.g. on a startup error); SIGKILL after the timeout. */
export async function waitForExit(bot: BotProcess, timeoutMs = STOP_TIMEOUT_MS): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      bot.child.kill('SIGKILL');
      reject(new Error(`the bot did not exit within ${timeoutMs} ms; stderr:\n${bot.log()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([bot.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh temp folder for a test file's database; remove() deletes it. */
export function tempDir(prefix: string): { dir: string; file(name: string): string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines no healthy run should ever log: a crash guard that caught something. */
export const CRASH_LINE = /unhandled rejection|uncaught exception/i;
