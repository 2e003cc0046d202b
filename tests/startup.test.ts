import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PROJECT_ROOT, runProcess } from './fixtures/run-process.ts';
import { httpRequest } from './http/helpers.ts';

/**
 * Start-up failures an operator can fix are one line naming the setting, exit 1, no stack trace.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-bot-startup-'));
  dirs.push(dir);
  return dir;
}

/** A token shaped like Discord's (its first part is an application id); Discord is never reached. */
const TOKEN = `${Buffer.from('1300000000000000101').toString('base64url')}.GzE2MA.not-a-real-secret`;

function start(env: Record<string, string>) {
  return runProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], '', {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DOTENV_CONFIG_QUIET: 'true',
    DISCORD_TOKEN: '',
    DISCORD_PUBLIC_KEY: '',
    DATABASE_PATH: path.join(tempDir(), 'bot.sqlite'),
    LOG_LEVEL: 'error',
    ...env,
  });
}

describe('start-up failures', () => {
  it.each([
    [
      'Discord unreachable (nothing listens at DISCORD_API_URL)',
      { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api' },
      /^Could not reach Discord at http:\/\/127\.0\.0\.1:9\/api \(ECONNREFUSED\)\. .*DISCORD_API_URL/,
    ],
    [
      'a HOST that is not this machine’s',
      { DISCORD_PUBLIC_KEY: 'ab'.repeat(32), HOST: '10.255.255.1', PORT: '0' },
      /^HOST \(10\.255\.255\.1\) is not an address of this machine/,
    ],
    [
      'a PostgreSQL server that is down (nothing listens at DATABASE_URL)',
      { DATABASE_URL: 'postgres://bot:secret@127.0.0.1:9/bot', DATABASE_PATH: '' },
      /^Cannot use the PostgreSQL database in DATABASE_URL \(postgres:\/\/bot:\*\*\*@127\.0\.0\.1:9\/bot\): .*ECONNREFUSED.*Check that the server is running/,
    ],
    ['KNOWLEDGE_DIR pointing at a file', { KNOWLEDGE_DIR: 'package.json' }, /^KNOWLEDGE_DIR \(package\.json\) is a file, not a folder/],
    [
      'KNOWLEDGE_DIR that does not exist',
      { KNOWLEDGE_DIR: 'no/such/folder' },
      /^The knowledge folder no\/such\/folder does not exist\. Set KNOWLEDGE_DIR/,
    ],
  ])('%s: one line naming the setting, exit 1', async (_name, env, expected) => {
    const run = await start(env as Record<string, string>);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(expected);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a knowledge folder whose every report is invalid stops start-up, naming file, field and reason', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'not-a-folder.txt'), 'x');
    const folder = path.join(dir, 'broken');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'report.json'), '{');
    const run = await start({ KNOWLEDGE_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\/report\.json: \(file\): not valid JSON: .* at line 1, column 2/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('a closed stderr in server mode', () => {
  it('the HTTP server goes quiet and keeps serving: no spinning on the broken pipe', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DOTENV_CONFIG_QUIET: 'true',
        DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_PATH: path.join(tempDir(), 'bot.sqlite'),
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve) =>
        child.stderr.on('data', (chunk: Buffer) => /listening for HTTP interactions/.test(chunk.toString()) && resolve()),
      );
      // The log's reader goes away; every request below writes log lines into the closed pipe.
      child.stderr.destroy();
      for (let attempt = 0; attempt < 20; attempt++)
        expect((await httpRequest(port, '/interactions', { method: 'POST', body: '{}' })).status).toBe(401);
      const health = await httpRequest(port, '/healthz');
      expect(health.status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
