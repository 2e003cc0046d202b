/**
 * A real PostgreSQL server for tests: `initdb` in a temporary folder, `pg_ctl start` on a free
 * port of 127.0.0.1, stopped (and its folder removed) by `stop()`. As root, the server runs as
 * the `postgres` user, which PostgreSQL insists on. No mock stands in for it.
 *
 * The binaries come from Debian's `postgresql` package (`.ci/run` installs it). Where they are
 * missing, `findPostgresBin()` says why, and the suites that need a server are skipped unless
 * REQUIRE_POSTGRES=1 (set by CI), which makes them fail instead.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../fixtures/ports.ts';

export function findPostgresBin(): string | undefined {
  const candidates = [process.env.PG_BIN, ...debianVersions().map((version) => `/usr/lib/postgresql/${version}/bin`)];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(path.join(dir, 'initdb')));
}

function debianVersions(): string[] {
  if (!existsSync('/usr/lib/postgresql')) return [];
  return readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
}

export const POSTGRES_REQUIRED = process.env.REQUIRE_POSTGRES === '1';
/** Why the PostgreSQL suites cannot run here, or undefined when they can. */
export const POSTGRES_MISSING: string | undefined = findPostgresBin()
  ? undefined
  : 'no PostgreSQL binaries (install Debian\'s "postgresql" package, or set PG_BIN to the folder holding initdb)';

export interface PostgresServer {
  port: number;
  /** A connection URL for one database on this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: committed data is kept); `start()` brings it back on the same port. Both are idempotent. */
  pause(): void;
  start(): void;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, command: string, args: string[]): string {
  const executable = path.join(bin, command);
  // PostgreSQL refuses to run as root: hand the command to the postgres user.
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', executable, ...args]] : [executable, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
}

let databaseCounter = 0;

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`cannot start PostgreSQL: ${POSTGRES_MISSING}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'report-bot-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  run(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // fsync off: the tests stop the server cleanly, which writes everything committed; only an OS crash would need fsync.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  let running = false;
  const start = () => {
    if (running) return;
    try {
      run(bin, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '30', 'start']);
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '(no server log)';
      throw new Error(`pg_ctl start failed: ${String(error)}\n${log}`);
    }
    running = true;
  };
  const pause = () => {
    if (!running) return;
    run(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running = false;
  };
  start();

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databaseCounter}`;
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    pause,
    start,
    async stop() {
      pause();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
