/**
 * HTTP interactions benchmark: signed `/ask` requests against the real endpoint
 * (src/adapters/http.ts) at concurrency 1, 10, 50 and 200. `npm run bench:http`.
 *
 * The endpoint runs in a child process on 127.0.0.1 (the real report, an in-memory SQLite store,
 * the logger at info writing to /dev/null), so the load generator does not share its event
 * loop. Requests are signed with a fresh key before each level's timed run: signing is the
 * client's cost, not the server's, and the timestamps stay well inside the 5-minute window.
 * Each level: a short warm-up, then a fixed time. Reports requests/s, p50/p99 latency, errors
 * (anything but a 200 with a type-4 answer), and the server's CPU time per request.
 * Writes bench/http-results.json. Always exits 0: it reports, it does not gate.
 *
 * Options: --seconds=N (timed run per level, default 5), --levels=1,10,50,200,
 * --client=undici|http (undici if installed, it is discord.js' HTTP client; node:http otherwise),
 * --profile (writes a V8 CPU profile of the server to bench/profiles/), --log-level=info|warn,
 * --interaction=ask|ping (ping: signed PINGs, the cost of HTTP + signature check alone; printed only).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { sign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_FILE = path.join(import.meta.dirname, 'http-results.json');
const APPLICATION_ID = '1300000000000000001';
const GUILD_ID = '1300000000000000002';
const CHANNEL_ID = '1300000000000000003';
/** Distinct signed requests per level; they are reused in turn (the server keeps no replay list). */
const POOL_SIZE = 4000;
const WARMUP_SECONDS = 1;
const TARGET = { concurrency: 50, rps: 2000, p99Ms: 25 };

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(prefix));
  if (found === undefined) return undefined;
  return found === `--${name}` ? 'true' : found.slice(prefix.length);
}

// ---------------------------------------------------------------- the server (child process)

interface ServerMessage {
  type: 'ready' | 'cpu';
  port?: number;
  /** process.cpuUsage(), microseconds. */
  cpu?: { user: number; system: number };
  rssMb?: number;
}

async function serve(): Promise<void> {
  const { startHttpInteractions } = await import('../src/adapters/http.ts');
  const { ReportLibrary } = await import('../src/core/answer/library.ts');
  const { DEFAULT_KNOWLEDGE_DIR, loadKnowledge } = await import('../src/core/knowledge/load.ts');
  const { createLogger } = await import('../src/logger.ts');
  const { openSqliteStore } = await import('../src/store/sqlite-store.ts');
  const publicKey = process.env.BENCH_PUBLIC_KEY;
  if (!publicKey) throw new Error('BENCH_PUBLIC_KEY is not set');
  const level = process.env.BENCH_LOG_LEVEL === 'warn' ? 'warn' : 'info';
  // Log lines are written as in production (synchronously, one per line), to /dev/null.
  const devNull = openSync('/dev/null', 'w');
  const logger = createLogger(level, (line) => writeSync(devNull, `${line}\n`));
  const store = openSqliteStore(':memory:');
  const server = await startHttpInteractions(
    {
      discordToken: undefined,
      applicationId: APPLICATION_ID,
      guildId: undefined,
      apiUrl: 'http://127.0.0.1:9/api',
      publicKey,
      port: 0,
      host: '127.0.0.1',
      databasePath: ':memory:',
      database: undefined,
      workers: 1,
      shards: 'auto',
      shardIds: undefined,
      unansweredLimit: 1000,
      logLevelSet: true,
      logLevel: level,
      knowledgeDir: DEFAULT_KNOWLEDGE_DIR,
    },
    // BENCH_ANSWER_CACHE=0 measures every request through the search, as if no question repeated.
    {
      library: new ReportLibrary(loadKnowledge(), { answerCacheSize: process.env.BENCH_ANSWER_CACHE === '0' ? 0 : undefined }),
      store,
      logger,
    },
    { host: '127.0.0.1', port: 0 },
  );
  const send = (message: ServerMessage) => process.send?.(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') send({ type: 'cpu', cpu: process.cpuUsage(), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
    if (message.type === 'stop') {
      void server
        .stop()
        .then(() => store.close())
        .then(() => process.exit(0));
    }
  });
  send({ type: 'ready', port: server.port });
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

/** Signs a pool of requests now: the timestamps are fresh for this level. */
function signPool(privateKey: KeyObject, questions: string[], ping: boolean): Signed[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: POOL_SIZE }, (_, index) => {
    const body = Buffer.from(ping ? pingBody(index) : askBody(questions[index % questions.length]!, index));
    const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');
    return { body, signature, timestamp };
  });
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
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `concurrency` workers, each sending its next request as soon as the last one is answered. */
async function drive(client: Client, pool: Signed[], concurrency: number, seconds: number, record: boolean, expected: string) {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const signed = pool[next++ % pool.length]!;
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

function askServer(child: ChildProcess, type: 'cpu'): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const listener = (message: ServerMessage) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
    child.send({ type });
  });
}

async function startServer(publicKeyHex: string, profile: boolean, logLevel: string): Promise<{ child: ChildProcess; port: number }> {
  const profileDir = path.join(import.meta.dirname, 'profiles');
  const child = fork(SELF, ['--serve'], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, BENCH_PUBLIC_KEY: publicKeyHex, BENCH_LOG_LEVEL: logLevel },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before it was ready`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready' && message.port) resolve(message.port);
    });
  });
  return { child, port };
}

function table(results: LevelResult[]): string {
  const header = [
    'concurrency',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'errors',
    'server CPU µs/req',
    'server CPU %',
    'client CPU %',
  ];
  const rows = results.map((r) => [
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
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const seconds = Number(flag('seconds') ?? 5);
  const levels = (flag('levels') ?? '1,10,50,200')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const profile = flag('profile') === 'true';
  const logLevel = flag('log-level') ?? 'info';
  const ping = flag('interaction') === 'ping';
  const expected = ping ? '{"type":1' : '{"type":4';
  const questions = (
    JSON.parse(readFileSync(path.join(ROOT, 'tests/questions/questions.json'), 'utf8')) as Array<{ question: string }>
  ).map((entry) => entry.question);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  /** Other work on the machine takes CPU from both processes: recorded with the results. */
  const loadAtStart = round(os.loadavg()[0] ?? 0);

  const { child, port } = await startServer(rawPublicKeyHex(publicKey), profile, logLevel);
  const maxConnections = Math.max(...levels);
  const wanted = flag('client') ?? 'undici';
  const client = (wanted === 'undici' ? await undiciClient(port, maxConnections) : undefined) ?? nodeHttpClient(port, maxConnections);
  process.stderr.write(
    `HTTP interactions bench: server pid ${child.pid} on 127.0.0.1:${port}, client ${client.name}, ${ping ? 'signed PINGs' : `/ask over ${questions.length} questions`}, ${seconds} s per level, server log level ${logLevel}, load average ${os.loadavg()[0]?.toFixed(2)}\n`,
  );

  const results: LevelResult[] = [];
  for (const concurrency of levels) {
    const pool = signPool(privateKey, questions, ping);
    await drive(client, pool, concurrency, WARMUP_SECONDS, false, expected);
    const before = await askServer(child, 'cpu');
    const clientBefore = process.cpuUsage();
    const run = await drive(client, pool, concurrency, seconds, true, expected);
    const clientCpu = process.cpuUsage(clientBefore);
    const after = await askServer(child, 'cpu');
    const cpuUs = after.cpu!.user + after.cpu!.system - before.cpu!.user - before.cpu!.system;
    const sorted = Float64Array.from(run.latencies).sort();
    const result: LevelResult = {
      concurrency,
      seconds: round(run.elapsed, 3),
      requests: run.latencies.length,
      rps: round(run.latencies.length / run.elapsed, 1),
      p50Ms: round(percentile(sorted, 0.5), 3),
      p90Ms: round(percentile(sorted, 0.9), 3),
      p99Ms: round(percentile(sorted, 0.99), 3),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
      errors: run.errors,
      errorSamples: run.errorSamples,
      serverCpuUsPerRequest: round(cpuUs / Math.max(1, run.latencies.length), 1),
      serverCpuPercent: round((cpuUs / 1e6 / run.elapsed) * 100, 1),
      clientCpuPercent: round(((clientCpu.user + clientCpu.system) / 1e6 / run.elapsed) * 100, 1),
    };
    results.push(result);
    process.stderr.write(
      `  concurrency ${concurrency}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors, server ${result.serverCpuPercent.toFixed(0)}% CPU\n`,
    );
  }
  const final = await askServer(child, 'cpu');
  await client.close();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await exited;

  const atTarget = results.find((result) => result.concurrency === TARGET.concurrency);
  const targetMet = atTarget !== undefined && atTarget.rps >= TARGET.rps && atTarget.p99Ms < TARGET.p99Ms && atTarget.errors === 0;
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
      client: client.name,
      secondsPerLevel: seconds,
      warmupSeconds: WARMUP_SECONDS,
      questions: questions.length,
      signedPool: POOL_SIZE,
      serverLogLevel: logLevel,
      serverRssMb: final.rssMb,
      profile,
    },
    target: { ...TARGET, met: targetMet },
    levels: results,
  };
  process.stdout.write(`\n${table(results)}\n\n`);
  if (ping) {
    // PINGs measure the endpoint alone (HTTP + signature check, no handler); the file keeps /ask results.
    process.stdout.write('Signed PINGs: the endpoint alone, no handler. Not written to the results file, which holds /ask runs.\n');
    return;
  }
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `Target at ${TARGET.concurrency} concurrent: ≥ ${TARGET.rps} answers/s with p99 < ${TARGET.p99Ms} ms: ${targetMet ? 'met' : 'NOT met'}.\n`,
  );
  process.stdout.write(`Wrote ${path.relative(ROOT, RESULTS_FILE)}${profile ? '; CPU profile in bench/profiles/' : ''}.\n`);
}

const USAGE = `Usage: npm run bench:http [-- --seconds=5] [--levels=1,10,50,200] [--client=undici|http] [--interaction=ping] [--log-level=info] [--profile]

Signed /ask requests against the HTTP interactions endpoint in a child process, at each
concurrency level: throughput, p50 and p99. Writes bench/http-results.json.`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    process.stderr.write(`bench server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
