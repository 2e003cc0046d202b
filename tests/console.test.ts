import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, renderReplyAsText } from '../src/adapters/console.ts';
import { escapeUserText } from '../src/bot/reply.ts';
import { button, renderAnswer, row } from '../src/bot/render.ts';
import { library, westminster } from './fixtures/bot.ts';
import { PROJECT_ROOT, runProcess } from './fixtures/run-process.ts';

/**
 * The local console: `npm start` with no Discord token. Real process, real knowledge, real SQLite
 * file in a temp dir; input piped in, answers read from stdout. No network: with no token and no
 * public key the bot never talks to Discord.
 */

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every setting a developer's .env could hold, blanked (dotenv leaves keys that are already set alone). */
function consoleEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-bot-console-'));
  tempDirs.push(dir);
  return {
    ...process.env,
    DISCORD_TOKEN: '',
    DISCORD_APPLICATION_ID: '',
    DISCORD_GUILD_ID: '',
    DISCORD_PUBLIC_KEY: '',
    DISCORD_API_URL: '',
    PORT: '',
    KNOWLEDGE_DIR: '',
    LOG_LEVEL: 'info',
    DATABASE_PATH: path.join(dir, 'bot.sqlite'),
    NO_COLOR: '1',
    ...overrides,
  };
}

const run = runProcess;

/** `tsx src/main.ts`, what `npm start` runs, without npm's start-up time. */
const startBot = (input: string, env = consoleEnv()) => run(process.execPath, ['--import', 'tsx', 'src/main.ts'], input, env);

/** Expects each snippet in `text`, in this order; returns nothing, fails naming the first missing one. */
function expectInOrder(text: string, snippets: string[]): void {
  let from = 0;
  for (const snippet of snippets) {
    const at = text.indexOf(snippet, from);
    expect(at, `"${snippet}" after position ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
    from = at + snippet.length;
  }
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)|^ {4}at /m);

const paragraph = (number: number) => westminster.paragraphs.find((candidate) => candidate.number === number)!.text;
const LONG_QUESTION = `who was arrested ${'a'.repeat(383)}`;

describe('npm start with no Discord token: the local console', () => {
  it('answers a piped session, in order, and exits 0 at the end of input', async () => {
    expect(LONG_QUESTION).toHaveLength(400);
    const input = [
      '/report use report:westminster-attack',
      '/arrests',
      '/ask who was arrested?',
      'who was arrested in birmingham',
      '1',
      '/pin',
      '/pins',
      '/unpin',
      'whats the capital of france',
      '/unanswered',
      '/source paragraph:7',
      '/help',
      '/weather',
      '',
      '   ',
      LONG_QUESTION,
      '@everyone who was arrested',
    ].join('\n');
    const { code, stdout, stderr } = await run('npm', ['start', '--silent'], `${input}\n`, consoleEnv());

    expectInOrder(stdout, [
      // several reports: this session asks about one first
      'Questions in this channel now go to London Attacker Links To ISIS Or Al-Qaeda Untrue first',
      // /arrests
      'Arrests and detentions (4)',
      'A 30-year-old man',
      'Status now: remains in custody',
      'Nine people',
      'Status now: released without charge',
      // /ask who was arrested?
      'Q: who was arrested?',
      'was arrested on suspicion of preparation of terrorist acts',
      'paragraph 13',
      '[1] Full paragraph  [2] Other passages',
      '[3] Pin',
      // a plain line is a question
      'Q: who was arrested in birmingham',
      'A 30-year-old man in Birmingham was arrested',
      // 1 clicks "Full paragraph"
      '(only you can see this)',
      'Paragraph 13 of 14',
      `> ${paragraph(13)}`,
      // /pin, /pins, /unpin
      '📌 Pinned.',
      'Pinned answers (1)',
      '📌 who was arrested in birmingham (console message #',
      '¶13',
      'Unpinned “who was arrested in birmingham”.',
      // off-topic, then /unanswered
      'I couldn’t find anything in the report about “whats the capital of france”, so I won’t guess.',
      '[1] ',
      'Questions the report could not answer',
      '1. “whats the capital of france” ×1',
      // /source paragraph:7
      'Paragraph 7 of 14',
      `> ${paragraph(7)}`,
      // /help
      'Report Bot',
      '/ask',
      '/unanswered',
      // unknown command
      'Unknown command /weather. Type /help for the list.',
      // the 400-character question
      'That question is 400 characters long; please keep it under 300.',
      // @everyone is not a question word
      'Q: @everyone who was arrested',
      'was arrested',
    ]);
    expect(stdout).not.toMatch(/Something went wrong/);
    noStackTrace(stdout);
    noStackTrace(stderr);
    expect(stderr).not.toMatch(/ERROR/);
    expect(stderr).toMatch(/starting mode=console/);
    expect(code).toBe(0);
  });

  it('the other commands, button numbers and /pin with nothing to pin, in one session', async () => {
    const input = [
      '/report use westminster-attack',
      '/pin',
      '/unpin',
      '/pins',
      '3',
      '/people name:basu',
      '/quotes speaker:rudd',
      '/claims',
      '/timeline',
      '/source',
      '/source paragraph:99',
      'was he radicalised in prison',
      '2',
      '9',
    ];
    const { code, stdout, stderr } = await startBot(input.join('\n'));
    expectInOrder(stdout, [
      'There is no answer to pin yet',
      'Nothing is pinned.',
      'No answers are pinned yet',
      'There is no button 3 on the last message.',
      "Who's who: basu",
      'Neil Basu',
      'Quotes (1)',
      '“no place for terrorists to hide”',
      'Claims and the evidence (8)',
      '⚠️ Disputed claim',
      'Timeline (11 events',
      'one day after the attack',
      'London Attacker Links To ISIS Or Al-Qaeda Untrue',
      'Outlet: not given in the report',
      'there is no paragraph 99',
      'Q: was he radicalised in prison',
      // 2 is "Other passages": shown only to the one who clicked
      '(only you can see this)',
      'There is no button 9 on the last message.',
    ]);
    noStackTrace(stderr);
    expect(code).toBe(0);
  });

  it('votes and the 👎 form on a terminal: a wrong choice is asked again, the reason shows in /insights', async () => {
    const input = ['who was arrested in birmingham', '4', '5', '9', '1 it is about the other man', '/insights'];
    const { code, stdout, stderr } = await startBot(input.join('\n'));
    expectInOrder(stdout, [
      '[4] 👍 0  [5] 👎 0',
      '[4] 👍 1  [5] 👎 0',
      'What was wrong with this answer?',
      'Choose 1 to 3, or an empty line to skip.',
      '[4] 👍 0  [5] 👎 1',
      'Answers voted unhelpful',
      'wrong passage ×1',
      'it is about the other man',
    ]);
    noStackTrace(stderr);
    expect(code).toBe(0);
  });

  it('a second session on the same database keeps the unanswered counts and can pin its own answers', async () => {
    const env = consoleEnv();
    const first = await startBot(['who was arrested in birmingham', '/pin', 'who won the world cup'].join('\n'), env);
    expect(first.stdout).toContain('📌 Pinned.');
    // The second session's first answer sits where the first session's pinned answer did.
    const second = await startBot(['what did amber rudd say', '/pin', 'who won the world cup', '/unanswered', '/pins'].join('\n'), env);
    expectInOrder(second.stdout, ['Q: what did amber rudd say', '“who won the world cup” ×2']);
    // A different answer, in a new session: it must be pinned, not taken for the first session's pin.
    expect(second.stdout).not.toContain('This answer is already pinned.');
    expect(second.stdout).toContain('📌 Pinned.');
    expectInOrder(second.stdout, ['Pinned answers', 'what did amber rudd say']);
  });

  it('a reader that closes the pipe early (npm start | head) ends the console: no spinning on the broken pipe', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: consoleEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The reader goes away after the first answer, as head does; stderr goes the same way.
    child.stdout.once('data', () => {
      child.stdout.destroy();
      child.stderr.destroy();
    });
    // The feeder outlives the process by a tick: its last write may meet a closed pipe, which is expected here.
    child.stdin.on('error', () => undefined);
    const feed = setInterval(() => child.stdin.write('who was arrested in birmingham\n'), 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      expect(await exited).toBe(0);
    } finally {
      clearInterval(feed);
      clearTimeout(timer);
    }
  }, 30_000);

  it('help and quit work without a slash; greetings and thanks get a word back and are never counted as unanswered; no raw markdown', async () => {
    const env = consoleEnv();
    const first = await startBot(['hi', 'help', 'thanks!', 'quit', 'who was arrested in birmingham'].join('\n'), env);
    expectInOrder(first.stdout, ['Hi! Ask me anything about the report', 'Report Bot', '/ask', 'You’re welcome.']);
    expect(first.stdout).not.toContain('Q: who was arrested in birmingham');
    expect(first.stdout).not.toContain('**');
    expect(first.code).toBe(0);
    const second = await startBot('/unanswered\n', env);
    expect(second.stdout).toContain('Every question so far found an answer in the report.');
  });

  it('/quit ends the session early; empty input exits 0 with no output', async () => {
    const quit = await startBot(['/help', '/quit', '/arrests'].join('\n'));
    expect(quit.stdout).toContain('Report Bot');
    expect(quit.stdout).not.toContain('Arrests and detentions');
    expect(quit.code).toBe(0);
    const empty = await startBot('');
    expect(empty.stdout).toBe('');
    expect(empty.code).toBe(0);
  });

  it('a bad setting stops it with one clear message naming the key, exit 1, no stack trace', async () => {
    const { code, stdout, stderr } = await startBot('/help\n', consoleEnv({ DISCORD_GUILD_ID: 'abc', PORT: '99999' }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('DISCORD_GUILD_ID');
    expect(stderr).toContain('PORT');
    noStackTrace(stderr);
  });
});

describe('parseCommandLine', () => {
  it('reads a command with no options, in any case', () => {
    expect(parseCommandLine('/arrests')).toEqual({ name: 'arrests', options: {} });
    expect(parseCommandLine('  /HELP  ')).toEqual({ name: 'help', options: {} });
  });

  it('gives free text to the first option', () => {
    expect(parseCommandLine('/ask who was arrested?')).toEqual({ name: 'ask', options: { question: 'who was arrested?' } });
    expect(parseCommandLine('/source 7')).toEqual({ name: 'source', options: { paragraph: 7 } });
  });

  it('reads key:value options, typed by the command’s declaration', () => {
    expect(parseCommandLine('/ask question:who was arrested? private:true')).toEqual({
      name: 'ask',
      options: { question: 'who was arrested?', private: true },
    });
    expect(parseCommandLine('/ask question: was he radicalised private: no')).toEqual({
      name: 'ask',
      options: { question: 'was he radicalised', private: false },
    });
    expect(parseCommandLine('/source paragraph:7')).toEqual({ name: 'source', options: { paragraph: 7 } });
    expect(parseCommandLine('/people name:Neil Basu')).toEqual({ name: 'people', options: { name: 'Neil Basu' } });
  });

  it('keeps a colon inside free text', () => {
    expect(parseCommandLine('/ask what does "AQ" mean: al-Qaeda?')).toEqual({
      name: 'ask',
      options: { question: 'what does "AQ" mean: al-Qaeda?' },
    });
  });

  it('reports what it cannot read', () => {
    expect(parseCommandLine('/source paragraph:seven')).toEqual({ error: '/source: paragraph must be a number, got "seven".' });
    expect(parseCommandLine('hello')).toEqual({ error: 'Commands start with a slash, e.g. /help' });
    expect(parseCommandLine('/')).toHaveProperty('error');
  });

  it('parses an unknown command (the console then says it is unknown)', () => {
    expect(parseCommandLine('/weather today')).toEqual({ name: 'weather', options: { text: 'today' } });
  });
});

describe('renderReplyAsText', () => {
  const reply = {
    ephemeral: true,
    content: 'Hello @\u200beveryone',
    embeds: [
      {
        author: { name: 'Q: who?' },
        title: 'Title',
        url: 'https://example.org/report',
        description: escapeUserText('a *starred* word and **bold**') + ' **real bold**',
        fields: [
          { name: 'One', value: 'single line' },
          { name: 'Two', value: 'first\nsecond' },
        ],
        footer: { text: 'Asked by you' },
      },
    ],
    components: [row(button('Full paragraph', 'para:westminster-attack:1'), button('Pin', 'pin:westminster-attack/p1'))],
  };

  it('shows content, embeds and numbered buttons as plain text', () => {
    expect(renderReplyAsText(reply, { color: false })).toBe(
      [
        '(only you can see this)',
        'Hello @everyone',
        'Q: who?',
        'Title <https://example.org/report>',
        'a *starred* word and **bold** real bold',
        'One: single line',
        'Two\nfirst\nsecond',
        '— Asked by you',
        '',
        '[1] Full paragraph  [2] Pin',
      ].join('\n'),
    );
  });

  it('uses ANSI bold only when asked for colour', () => {
    const plain = renderReplyAsText(reply, { color: false });
    expect(plain).not.toContain('\x1b[');
    const colored = renderReplyAsText(reply, { color: true });
    expect(colored).toContain('\x1b[1mTitle\x1b[22m');
    expect(colored).toContain('\x1b[1mreal bold\x1b[22m');
  });

  it('applies the same limits as Discord (through toMessagePayload)', () => {
    const text = renderReplyAsText({ content: 'x'.repeat(5000) }, { color: false });
    expect(text).toHaveLength(2000);
    expect(text.endsWith('…')).toBe(true);
  });

  it('renders a real answer with its passage, attribution and buttons', () => {
    const answer = library.ask('what did amber rudd say');
    const text = renderReplyAsText(renderAnswer(answer, { askedBy: 'you' }), { color: false });
    expect(text).toContain('Q: what did amber rudd say');
    expect(text).toMatch(/Who said it: Amber Rudd, Home Secretary/);
    expect(text).toContain('“no place for terrorists to hide”');
    expect(text).toMatch(/\[1\] Full paragraph .*Pin .*👍 0 .*👎 0 .*Ask in a thread$/m);
  });
});
