import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportLibrary } from '../src/core/answer/library.ts';
import { DEFAULT_KNOWLEDGE_DIR, loadServableKnowledge } from '../src/core/knowledge/load.ts';
import { KnowledgeReloader } from '../src/knowledge-reloader.ts';
import { createLogger } from '../src/logger.ts';
import { PROJECT_ROOT } from './fixtures/run-process.ts';

/**
 * Hot reload: a new or edited report is served without a restart; an invalid change is refused
 * and logged while the last good version keeps serving; one bad folder never stops the others.
 */

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A knowledge folder holding copies of the named reports. */
function knowledgeWith(...reportIds: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-bot-reload-'));
  tempDirs.push(dir);
  for (const id of reportIds) cpSync(path.join(DEFAULT_KNOWLEDGE_DIR, id), path.join(dir, id), { recursive: true });
  return dir;
}

function breakFile(dir: string, reportId: string, file: string): void {
  writeFileSync(path.join(dir, reportId, file), '{ "id": ');
}

async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('KnowledgeReloader', () => {
  const setup = (dir: string) => {
    const lines: string[] = [];
    const loaded = loadServableKnowledge(dir);
    const library = new ReportLibrary(loaded.knowledge, { answerCacheSize: 0 });
    const reloader = new KnowledgeReloader(
      dir,
      library,
      createLogger('debug', (line) => lines.push(line)),
    );
    reloader.started(loaded.folders);
    return { library, reloader, lines, loaded };
  };
  const ids = (library: ReportLibrary) => library.reports.map((report) => report.meta.id);

  it('adds a new folder, serves an edit, drops a removed folder', () => {
    const dir = knowledgeWith('westminster-attack');
    const { library, reloader } = setup(dir);
    cpSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'harbour-bridge-protest'), path.join(dir, 'harbour-bridge-protest'), { recursive: true });
    expect(reloader.reload('test')).toEqual({ ok: true, message: 'Reloaded: added harbour-bridge-protest. 2 report(s) served.' });
    expect(ids(library)).toEqual(['harbour-bridge-protest', 'westminster-attack']);

    const reportFile = path.join(dir, 'westminster-attack', 'report.json');
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    report.title = 'An edited title';
    writeFileSync(reportFile, JSON.stringify(report));
    expect(reloader.reload('test').message).toBe('Reloaded: updated westminster-attack. 2 report(s) served.');
    expect(library.findReport('westminster-attack')?.meta.title).toBe('An edited title');
    expect(reloader.reload('test').message).toBe('No report changed. 2 report(s) served.');

    rmSync(path.join(dir, 'harbour-bridge-protest'), { recursive: true });
    expect(reloader.reload('test').message).toBe('Reloaded: removed harbour-bridge-protest. 1 report(s) served.');
  });

  it('refuses an invalid change, logs file, field and reason, and keeps serving the last good version', () => {
    const dir = knowledgeWith('westminster-attack', 'chemical-plant-leak');
    const { library, reloader, lines } = setup(dir);
    const before = library.ask('who was arrested in birmingham');
    breakFile(dir, 'westminster-attack', 'facts.json');
    const outcome = reloader.reload('test');
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/Refused \(invalid, the last good version keeps serving\): westminster-attack/);
    expect(lines.some((line) => /ERROR +invalid knowledge .*westminster-attack\/facts\.json: \(file\): not valid JSON/.test(line))).toBe(
      true,
    );
    expect(ids(library)).toEqual(['chemical-plant-leak', 'westminster-attack']);
    expect(library.ask('who was arrested in birmingham').hits[0]?.key).toBe(before.hits[0]?.key);
  });

  it('a knowledge folder that disappears changes nothing', () => {
    const dir = knowledgeWith('westminster-attack');
    const { library, reloader } = setup(dir);
    rmSync(dir, { recursive: true });
    expect(reloader.reload('test')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Nothing changed: The knowledge folder .* does not exist/),
    });
    expect(ids(library)).toEqual(['westminster-attack']);
  });

  it('watches the folder: a report copied in is served a moment later', async () => {
    const dir = knowledgeWith('westminster-attack');
    const { library, reloader } = setup(dir);
    reloader.watch();
    try {
      cpSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'chemical-plant-leak'), path.join(dir, 'chemical-plant-leak'), { recursive: true });
      await eventually(() => library.findReport('chemical-plant-leak') !== undefined, 'the new report to be served');
    } finally {
      reloader.close();
    }
  });
});

describe('the bot process', () => {
  it('starts with one invalid folder skipped loudly, picks up a new report by itself, and refuses a broken edit on SIGHUP', async () => {
    const dir = knowledgeWith('westminster-attack');
    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', 'report.json'), '{');
    const data = mkdtempSync(path.join(os.tmpdir(), 'report-bot-reload-db-'));
    tempDirs.push(data);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: '',
        DISCORD_PUBLIC_KEY: '',
        KNOWLEDGE_DIR: dir,
        DATABASE_PATH: path.join(data, 'bot.sqlite'),
        LOG_LEVEL: 'info',
        NO_COLOR: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await eventually(() => /starting mode=console/.test(stderr), 'the console to start', 20_000);
      expect(stderr).toMatch(/ERROR +invalid knowledge, report skipped .*broken\/report\.json/);
      expect(stderr).toMatch(/broken\/facts\.json: \(file\): file is missing/);

      child.stdin.write('/reports\n');
      await eventually(() => /Reports \(1\)/.test(stdout), 'the first /reports');

      cpSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'harbour-bridge-protest'), path.join(dir, 'harbour-bridge-protest'), { recursive: true });
      await eventually(() => /knowledge reloaded .*added harbour-bridge-protest/.test(stderr), 'the new report to be picked up');
      child.stdin.write('/reports\n');
      await eventually(() => /Reports \(2\)/.test(stdout), 'the second /reports');

      breakFile(dir, 'westminster-attack', 'report.json');
      await eventually(() => /invalid knowledge .*westminster-attack\/report\.json/.test(stderr), 'the broken edit to be refused');
      child.kill('SIGHUP');
      await eventually(
        () => /invalid knowledge reason=SIGHUP .*westminster-attack\/report\.json/.test(stderr),
        'SIGHUP to reread and refuse it again',
      );
      child.stdin.write('who was arrested in birmingham\n');
      await eventually(
        () => /A 30-year-old man in Birmingham was arrested/.test(stdout),
        'the answer from the last good Westminster report',
      );
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
