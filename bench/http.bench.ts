/**
 * HTTP interactions benchmark: signed `/ask` requests against the real bot (`src/main.ts` in HTTP
 * mode, as `npm start` runs it) on 127.0.0.1. `npm run bench:http`.
 *
 * One run measures every deployment of the README in turn: 1 and 2 worker processes (WORKERS),
 * each on a SQLite file and on a PostgreSQL server the bench starts (initdb in a temporary folder,
 * as the tests do; skipped with a note where PostgreSQL is not installed). Each setup is a fresh
 * bot; each concurrency level a short warm-up, then a fixed time. Every request has its own
 * interaction id (the endpoint refuses a repeated one), signed before the level's timed run:
 * signing is Discord's cost, not ours. Reports requests/s, p50/p99 latency, errors (anything but
 * a 200 with a type-4 answer), the server's CPU time per request (all its processes), and what
 * the load generator takes (its CPU, on the same 2 cores). Writes bench/http-results.json.
 * Always exits 0: it reports, it does not gate.
 *
 * Options: --seconds=N (timed run per level, default 5), --levels=50 (concurrency levels, e.g. 1,10,50,200),
 * --setups=sqlite:1,sqlite:2,postgres:1,postgres:2, --client=undici|http, --log-level=info|warn,
 * --interaction=ask|ping (ping: signed PINGs, the cost of HTTP + signature check alone; printed only),
 * --profile (V8 CPU profiles of every server process in bench/profiles/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/fixtures/ports.ts';
import { POSTGRES_MISSING, startPostgres } from '../tests/store/postgres-server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_FILE = path.join(import.meta.dirname, 'http-results.json');
const APPLICATION_ID = '1300000000000000001';
const GUILD_ID = '1300000000000000002';
const CHANNEL_ID = '1300000000000000003';
/** Signed requests made ready per level; more are signed on the fly if a level needs them. */
const POOL_SIZE = 30_000;
const WARMUP_SECONDS = 1;
const TARGET = { concurrency: 50, p99Ms: 25, workers: 2 };

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(prefix));
  if (found === undefined) return undefined;
  return found === `--${name}` ? 'true' : found.slice(prefix.length);
}

// ---------------------------------------------------------------- the load generator

interface Signed {
  body: Buffer;
  signature: string;
  timestamp: string;
}

function rawPublicKeyHex(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

function pingBody(index: number): string {
  return JSON.stringify({
    id: String(1_320_000_000_000_000_000n + BigInt(index)),
    application_id: APPLICATION_ID,
    type: 1,
    token: `aW50ZXJhY3Rpb24-${randomBytes(24).toString('base64url')}`,
    version: 1,
  });
}

function askBody(question: string, index: number): string {
  const user = { id: '1300000000000000004', username: `bench${index % 97}`, discriminator: '0', global_name: null, avatar: null };
  return JSON.stringify({
    id: String(1_320_000_000_000_000_000n + BigInt(index)),
    application_id: APPLICATION_ID,
    type: 2,
    token: `aW50ZXJhY3Rpb24-${randomBytes(24).toString('base64url')}`,
    version: 1,
    data: { id: '1310000000000000001', name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }] },
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0 },
    member: { user, roles: [], permissions: '2147552256', joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
  });
}

/** Requests signed ahead, each with its own interaction id; past the pool, more are signed as needed. */
class SignedRequests {
  private readonly pool: Signed[];
  private next = 0;
  constructor(
    private readonly privateKey: KeyObject,
    private readonly questions: string[],
    private readonly ping: boolean,
    private firstIndex: number,
  ) {
    this.pool = Array.from({ length: POOL_SIZE }, () => this.signOne());
  }

  private signOne(): Signed {
    const index = this.firstIndex++;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = Buffer.from(this.ping ? pingBody(index) : askBody(this.questions[index % this.questions.length]!, index));
    const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), this.privateKey).toString('hex');
    return { body, signature, timestamp };
  }

  take(): Signed {
    return this.pool[this.next++] ?? this.signOne();
  }

  /** How many were signed during the run because the pool ran out (their cost fell on the load generator). */
  get signedLate(): number {
    return Math.max(0, this.next - this.pool.length);
  }

  /** The interaction index the next request set should start from, so that ids never repeat. */
  get nextIndex(): number {
    return this.firstIndex;
  }
}

type Send = (signed: Signed) => Promise<{ status: number; head: string }>;

interface Client {
  name: string;
  send: Send;
  close(): Promise<void>;
}

function headersOf(signed: Signed): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(signed.body.length),
    'x-signature-ed25519': signed.signature,
    'x-signature-timestamp': signed.timestamp,
  };
}

function nodeHttpClient(port: number, connections: number): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const send: Send = (signed) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/interactions', method: 'POST', agent, headers: headersOf(signed) }, (res) => {
        let head = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          if (head.length < 16) head += chunk.slice(0, 16);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, head }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(signed.body);
    });
  return { name: 'node:http (keep-alive)', send, close: async () => agent.destroy() };
}

async function undiciClient(port: number, connections: number): Promise<Client | undefined> {
  // undici comes with discord.js; it is not a dependency of ours, so it may be missing.
  const undici = await import('undici').catch(() => undefined);
  if (!undici) return undefined;
  const pool = new undici.Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
  const send: Send = async (signed) => {
    const { statusCode, body } = await pool.request({
      path: '/interactions',
      method: 'POST',
      headers: headersOf(signed),
      body: signed.body,
    });
    const text = await body.text();
    return { status: statusCode, head: text.slice(0, 16) };
  };
  return { name: `undici ${(undici as { version?: string }).version ?? ''} Pool`.replace('  ', ' '), send, close: () => pool.close() };
}

interface LevelResult {
  concurrency: number;
  seconds: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  errorSamples: string[];
  /** Server process CPU (user + system) per answered request, microseconds. */
  serverCpuUsPerRequest: number;
  /** Server CPU time / wall time: 100% is one core saturated. */
  serverCpuPercent: number;
  /** The load generator's own CPU time / wall time. */
  clientCpuPercent: number;
  /** Requests signed during the timed run because the signed-ahead pool ran out. */
  signedDuringRun: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `concurrency` workers, each sending its next request as soon as the last one is answered. */
async function drive(client: Client, requests: SignedRequests, concurrency: number, seconds: number, record: boolean, expected: string) {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const signed = requests.take();
      const sent = performance.now();
      try {
        const { status, head } = await client.send(signed);
        const ok = status === 200 && head.startsWith(expected);
        if (record) latencies.push(performance.now() - sent);
        if (!ok) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${status} ${head}`);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, errorSamples, elapsed: (performance.now() - started) / 1000 };
}

/** A process and all its descendants (the workers), from Linux's /proc. */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(children ? children.split(' ').flatMap((child) => processTree(Number(child))) : [])];
  } catch {
    return []; // The process ended between two reads.
  }
}

/** Sums a /proc reading over the tree; a process gone meanwhile counts 0. */
function sumOverTree(pid: number, read: (id: number) => number): number {
  return processTree(pid).reduce((total, id) => {
    try {
      return total + read(id);
    } catch {
      return total;
    }
  }, 0);
}

const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** User + system CPU time of the bot's processes, microseconds: stat's utime and stime (fields 14 and 15, 12 and 13 after the name). */
function processTreeCpuUs(pid: number): number {
  return sumOverTree(pid, (id) => {
    const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
  });
}

/** Resident memory of the bot's processes (statm's second field, in pages). */
function processTreeRssMb(pid: number): number {
  const pages = sumOverTree(pid, (id) => Number(readFileSync(`/proc/${id}/statm`, 'utf8').split(' ')[1]));
  return Math.round((pages * PAGE_BYTES) / 2 ** 20);
}

interface Setup {
  store: 'sqlite' | 'postgres';
  workers: number;
}

/** The bot as `npm start` runs it, in HTTP mode, with its log written to /dev/null as a service's would be. */
async function startBot(setup: Setup, publicKeyHex: string, database: string, options: { profile: boolean; logLevel: string }) {
  const port = await freePort();
  const profileDir = path.join(import.meta.dirname, 'profiles');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DOTENV_CONFIG_QUIET: 'true',
      DISCORD_PUBLIC_KEY: publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_TOKEN: '',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKERS: String(setup.workers),
      DATABASE_PATH: setup.store === 'sqlite' ? database : '',
      DATABASE_URL: setup.store === 'postgres' ? database : '',
      LOG_LEVEL: options.logLevel,
      KNOWLEDGE_DIR: '',
      ...(options.profile && { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ready = setup.workers > 1 ? / INFO +ready workers=/ : /listening for HTTP interactions/;
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (!ready.test(log)) return;
      // Ready: from now on the log goes nowhere, like a service's to a file.
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      resolve();
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the bot exited with code ${code} before it was ready:\n${log}`)));
  });
  return { child, port };
}

async function stopBot(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function table(results: SetupResult[]): string {
  const header = [
    'store',
    'workers',
    'concurrency',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'errors',
    'server CPU µs/req',
    'server CPU %',
    'load generator CPU %',
  ];
  const rows = results.flatMap((setup) =>
    setup.levels.map((r) => [
      setup.store,
      String(setup.workers),
      String(r.concurrency),
      r.rps.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p90Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      r.maxMs.toFixed(1),
      String(r.errors),
      r.serverCpuUsPerRequest.toFixed(0),
      r.serverCpuPercent.toFixed(0),
      r.clientCpuPercent.toFixed(0),
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

interface SetupResult extends Setup {
  serverRssMb: number;
  levels: LevelResult[];
}

function readSetups(text: string): Setup[] {
  return text.split(',').map((part) => {
    const [store, workers] = part.split(':');
    if ((store !== 'sqlite' && store !== 'postgres') || !Number(workers)) throw new Error(`--setups: "${part}" is not store:workers`);
    return { store, workers: Number(workers) };
  });
}

/** One setup: a fresh bot, then each level (warm-up, timed run). */
async function measureSetup(
  setup: Setup,
  database: string,
  run: {
    seconds: number;
    levels: number[];
    ping: boolean;
    expected: string;
    questions: string[];
    profile: boolean;
    logLevel: string;
    wanted: string;
  },
  keys: { privateKey: KeyObject; publicKeyHex: string },
  firstIndex: number,
): Promise<{ result: SetupResult; clientName: string; nextIndex: number }> {
  const { child, port } = await startBot(setup, keys.publicKeyHex, database, run);
  const maxConnections = Math.max(...run.levels);
  const client = (run.wanted === 'undici' ? await undiciClient(port, maxConnections) : undefined) ?? nodeHttpClient(port, maxConnections);
  const levels: LevelResult[] = [];
  let index = firstIndex;
  for (const concurrency of run.levels) {
    const requests = new SignedRequests(keys.privateKey, run.questions, run.ping, index);
    await drive(client, requests, concurrency, WARMUP_SECONDS, false, run.expected);
    const before = processTreeCpuUs(child.pid!);
    const clientBefore = process.cpuUsage();
    const timed = await drive(client, requests, concurrency, run.seconds, true, run.expected);
    const clientCpu = process.cpuUsage(clientBefore);
    const cpuUs = processTreeCpuUs(child.pid!) - before;
    index = requests.nextIndex;
    const sorted = Float64Array.from(timed.latencies).sort();
    const result: LevelResult = {
      concurrency,
      seconds: round(timed.elapsed, 3),
      requests: timed.latencies.length,
      rps: round(timed.latencies.length / timed.elapsed, 1),
      p50Ms: round(percentile(sorted, 0.5), 3),
      p90Ms: round(percentile(sorted, 0.9), 3),
      p99Ms: round(percentile(sorted, 0.99), 3),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
      errors: timed.errors,
      errorSamples: timed.errorSamples,
      serverCpuUsPerRequest: round(cpuUs / Math.max(1, timed.latencies.length), 1),
      serverCpuPercent: round((cpuUs / 1e6 / timed.elapsed) * 100, 1),
      clientCpuPercent: round(((clientCpu.user + clientCpu.system) / 1e6 / timed.elapsed) * 100, 1),
      signedDuringRun: requests.signedLate,
    };
    levels.push(result);
    process.stderr.write(
      `  ${setup.store}, ${setup.workers} worker${setup.workers === 1 ? '' : 's'}, concurrency ${concurrency}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors, server ${result.serverCpuPercent.toFixed(0)}% CPU, load generator ${result.clientCpuPercent.toFixed(0)}% CPU\n`,
    );
  }
  const serverRssMb = processTreeRssMb(child.pid!);
  await client.close();
  await stopBot(child);
  return { result: { ...setup, serverRssMb, levels }, clientName: client.name, nextIndex: index };
}

async function main(): Promise<void> {
  const seconds = Number(flag('seconds') ?? 5);
  const levels = (flag('levels') ?? String(TARGET.concurrency))
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const setups = readSetups(flag('setups') ?? 'sqlite:1,sqlite:2,postgres:1,postgres:2');
  const profile = flag('profile') === 'true';
  const logLevel = flag('log-level') ?? 'info';
  const ping = flag('interaction') === 'ping';
  const expected = ping ? '{"type":1' : '{"type":4';
  const questions = (
    JSON.parse(readFileSync(path.join(ROOT, 'tests/questions/questions.json'), 'utf8')) as Array<{ question: string }>
  ).map((entry) => entry.question);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keys = { privateKey, publicKeyHex: rawPublicKeyHex(publicKey) };
  /** Other work on the machine takes CPU from both sides: recorded with the results. */
  const loadAtStart = round(os.loadavg()[0] ?? 0);
  const wanted = flag('client') ?? 'undici';
  process.stderr.write(
    `HTTP interactions bench: ${ping ? 'signed PINGs' : `/ask over ${questions.length} questions`}, ${seconds} s per level, levels ${levels.join(',')}, server log level ${logLevel}, load average ${os.loadavg()[0]?.toFixed(2)}\n`,
  );

  const needsPostgres = setups.some((setup) => setup.store === 'postgres');
  const postgres = needsPostgres && !POSTGRES_MISSING ? await startPostgres() : undefined;
  if (needsPostgres && !postgres) process.stderr.write(`  PostgreSQL setups skipped: ${POSTGRES_MISSING}\n`);
  const sqliteDir = mkdtempSync(path.join(os.tmpdir(), 'report-bot-bench-'));
  const results: SetupResult[] = [];
  let clientName = '';
  let index = 0;
  try {
    for (const setup of setups) {
      if (setup.store === 'postgres' && !postgres) continue;
      const database =
        setup.store === 'postgres' ? await postgres!.createDatabase() : path.join(sqliteDir, `bench-${results.length}.sqlite`);
      const run = { seconds, levels, ping, expected, questions, profile, logLevel, wanted };
      const measured = await measureSetup(setup, database, run, keys, index);
      results.push(measured.result);
      clientName = measured.clientName;
      index = measured.nextIndex;
    }
  } finally {
    await postgres?.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }

  const targetChecks = results.map((setup) => {
    const atTarget = setup.levels.find((level) => level.concurrency === TARGET.concurrency);
    const met = atTarget !== undefined && atTarget.p99Ms < TARGET.p99Ms && atTarget.errors === 0;
    return { store: setup.store, workers: setup.workers, p99Ms: atTarget?.p99Ms, met };
  });
  const cpus = os.cpus();
  const report = {
    timestamp: new Date().toISOString(),
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverage1mAtStart: loadAtStart,
      loadAverage1mAtEnd: round(os.loadavg()[0] ?? 0),
    },
    setup: {
      client: clientName,
      loadGenerator: 'this process, on the same machine: its CPU share is in each level',
      secondsPerLevel: seconds,
      warmupSeconds: WARMUP_SECONDS,
      questions: questions.length,
      signedAhead: POOL_SIZE,
      serverLogLevel: logLevel,
      profile,
    },
    target: { ...TARGET, checks: targetChecks },
    setups: results,
  };
  process.stdout.write(`\n${table(results)}\n\n`);
  if (ping) {
    // PINGs measure the endpoint alone (HTTP + signature check, no handler); the file keeps /ask results.
    process.stdout.write('Signed PINGs: the endpoint alone, no handler. Not written to the results file, which holds /ask runs.\n');
    return;
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  for (const check of targetChecks.filter((candidate) => candidate.workers === TARGET.workers)) {
    process.stdout.write(
      `Target with ${TARGET.workers} workers on ${check.store}, ${TARGET.concurrency} concurrent: p99 < ${TARGET.p99Ms} ms: ${check.met ? 'met' : 'NOT met'} (${check.p99Ms?.toFixed(2) ?? '?'} ms).\n`,
    );
  }
  process.stdout.write(`Wrote ${path.relative(ROOT, RESULTS_FILE)}${profile ? '; CPU profiles in bench/profiles/' : ''}.\n`);
}

const USAGE = `Usage: npm run bench:http [-- --seconds=5] [--levels=50] [--setups=sqlite:1,sqlite:2,postgres:1,postgres:2] [--client=undici|http] [--interaction=ping] [--log-level=info] [--profile]

Signed /ask requests against the bot in HTTP mode (src/main.ts), for 1 and 2 worker processes on
SQLite and on PostgreSQL: throughput, p50 and p99 at each concurrency level. Writes bench/http-results.json.`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
