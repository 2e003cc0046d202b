import { describe, expect, it } from 'vitest';
import { westminster } from './fixtures/bot.ts';
import { runProcess, type ProcessRun } from './fixtures/run-process.ts';

/**
 * `npm run ask`: the answer engine from the command line. Contract (README / src/cli/ask.ts):
 * - human-readable output by default;
 * - `--json` prints one JSON object `{ question, answered, hits: [{ kind, report, paragraph, passage, attribution, score }] }`;
 * - with no question argument, stdin is read line by line and answered in order (one JSON object
 *   per line with --json); a bad line gets a clear message and the batch still exits 0.
 */

const paragraph = (number: number) => westminster.paragraphs.find((candidate) => candidate.number === number)!.text;

const run = (command: string, args: string[], input = ''): Promise<ProcessRun> =>
  runProcess(command, args, input, { ...process.env, NO_COLOR: '1' });

/** `tsx src/cli/ask.ts …`: what `npm run ask --` runs, without npm's start-up time. */
const ask = (args: string[], input = '') => run(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], input);

const noStackTrace = (text: string) => expect(text).not.toMatch(/^ {4}at /m);

interface JsonAnswer {
  question: string;
  answered: boolean;
  hits: Array<{ kind: string; report: string; paragraph: number; passage: string; attribution: string; score: number }>;
  error?: string;
}

function parseJsonLines(stdout: string): JsonAnswer[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonAnswer);
}

function expectContractShape(answer: JsonAnswer): void {
  expect(typeof answer.question).toBe('string');
  expect(typeof answer.answered).toBe('boolean');
  expect(Array.isArray(answer.hits)).toBe(true);
  for (const hit of answer.hits) {
    expect(Object.keys(hit).sort()).toEqual(['attribution', 'kind', 'paragraph', 'passage', 'report', 'score']);
    expect(['paragraph', 'fact']).toContain(hit.kind);
    expect(hit.report).toBe('westminster-attack');
    expect(hit.passage).toBe(paragraph(hit.paragraph));
    expect(typeof hit.attribution).toBe('string');
    expect(typeof hit.score).toBe('number');
  }
}

describe('npm run ask', () => {
  it('npm run ask -- "who was arrested in birmingham?" prints the passage, who said it and the source', async () => {
    const { code, stdout, stderr } = await run('npm', ['run', '--silent', 'ask', '--', 'who was arrested in birmingham?']);
    expect(stdout).toContain(paragraph(13));
    expect(stdout).toMatch(/^Who said it: .+$/m);
    expect(stdout).toMatch(/^Source: London Attacker Links To ISIS Or Al-Qaeda Untrue, paragraph 13$/m);
    expect(stdout).not.toContain('\x1b[');
    expect(stdout.trim().startsWith('{')).toBe(false);
    noStackTrace(stderr);
    expect(code).toBe(0);
  });

  it('--json prints one JSON object in the documented shape', async () => {
    const { code, stdout } = await ask(['--json', 'who was arrested in birmingham?']);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!) as JsonAnswer;
    expectContractShape(answer);
    expect(answer.question).toBe('who was arrested in birmingham?');
    expect(answer.answered).toBe(true);
    expect(answer.hits[0]!.paragraph).toBe(13);
    expect(answer.hits.length).toBeLessThanOrEqual(5);
    expect(answer).not.toHaveProperty('error');
    expect(code).toBe(0);
  });

  it('--json may come after the question, and an unquoted question is joined', async () => {
    const { stdout } = await ask(['what', 'did', 'amber', 'rudd', 'say', '--json']);
    const answer = JSON.parse(stdout) as JsonAnswer;
    expect(answer.question).toBe('what did amber rudd say');
    expect(answer.hits[0]!.paragraph).toBe(10);
    expect(answer.hits[0]!.attribution).toContain('Amber Rudd');
  });

  it('an off-topic question: answered false, no hits; the human form says the report does not cover it', async () => {
    const json = JSON.parse((await ask(['--json', 'whats the capital of france'])).stdout) as JsonAnswer;
    expectContractShape(json);
    expect(json).toMatchObject({ question: 'whats the capital of france', answered: false, hits: [] });
    const human = await ask(['whats the capital of france']);
    expect(human.stdout).toMatch(/doesn't say anything about that/);
    expect(human.code).toBe(0);
  });

  it('a question that cannot be searched gets a clear message, no stack trace', async () => {
    const { stdout, stderr } = await ask(['--json', '🔥🔥']);
    const answer = JSON.parse(stdout) as JsonAnswer;
    expect(answer).toMatchObject({ question: '🔥🔥', answered: false, hits: [] });
    expect(answer.error).toMatch(/could not find any words/);
    noStackTrace(stderr);
  });

  it('batch: one JSON object per stdin line, in order; bad lines get a message; exit 0', async () => {
    const lines = [
      'who was arrested in birmingham',
      '',
      '🔥🔥',
      'x'.repeat(400),
      'whats the capital of france',
      'what did amber rudd say',
      'was he radicalised in prison',
    ];
    const { code, stdout, stderr } = await ask(['--json'], `${lines.join('\n')}\n`);
    const answers = parseJsonLines(stdout);
    expect(answers.map((answer) => answer.question)).toEqual(lines);
    for (const answer of answers) expectContractShape(answer);
    expect(answers[0]!.hits[0]!.paragraph).toBe(13);
    expect(answers[1]!.error).toMatch(/Ask a question/);
    expect(answers[2]!.error).toMatch(/could not find any words/);
    expect(answers[3]!.error).toMatch(/400 characters long/);
    expect(answers[4]).toMatchObject({ answered: false, hits: [] });
    expect(answers[4]).not.toHaveProperty('error');
    expect(answers[5]!.hits[0]!.paragraph).toBe(10);
    expect([12, 2]).toContain(answers[6]!.hits[0]!.paragraph);
    noStackTrace(stderr);
    expect(code).toBe(0);
  });

  it('batch without --json answers each line for a person, in order', async () => {
    const { code, stdout } = await ask([], 'who was arrested in birmingham\n🔥🔥\nwhat did amber rudd say\n');
    const first = stdout.indexOf('? who was arrested in birmingham');
    const second = stdout.indexOf('? 🔥🔥');
    const third = stdout.indexOf('? what did amber rudd say');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(stdout.slice(first, second)).toContain(paragraph(13));
    expect(stdout.slice(second, third)).toMatch(/could not find any words/);
    expect(stdout.slice(third)).toContain('no place for terrorists to hide');
    expect(code).toBe(0);
  });

  it('batch on empty input prints nothing and exits 0', async () => {
    const { code, stdout } = await ask(['--json'], '');
    expect(stdout).toBe('');
    expect(code).toBe(0);
  });
});

describe('every command-line tool', () => {
  it.each([
    ['src/cli/ask.ts', /^Usage: npm run -s ask/],
    ['src/cli/eval.ts', /^Usage: npm run eval/],
    ['src/cli/calibrate.ts', /^Usage: npm run calibrate/],
    ['src/cli/validate-knowledge.ts', /^Usage: npm run validate-knowledge/],
    ['src/cli/deploy-commands.ts', /^Usage: npm run deploy-commands/],
    ['src/cli/add-report.ts', /^Usage: npm run add-report/],
    ['bench/search.bench.ts', /^Usage: npm run bench/],
    ['bench/http.bench.ts', /^Usage: npm run bench:http/],
  ])('%s --help prints its usage and exits 0, doing nothing else', async (file, usage) => {
    const result = await run(process.execPath, ['--import', 'tsx', file, '--help']);
    expect(result.stdout).toMatch(usage);
    expect(result.code).toBe(0);
  });

  it('eval with a wrong path says so in one line', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', 'no/such/questions.json']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^eval: no question file at .*no\/such\/questions\.json$/);
  });
});
