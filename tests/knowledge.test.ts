import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkKnowledgeDir, DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../src/core/knowledge/load.ts';
import { formatIssue, validateKnowledge, type KnowledgeIssue, type ReportSource } from '../src/core/knowledge/validate.ts';

/**
 * The knowledge is checked before anything starts. These tests break the real files one way at a
 * time and expect the validator to name the file, the field and the reason.
 */

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const REPORT_DIR = path.join(DEFAULT_KNOWLEDGE_DIR, 'westminster-attack');
const FOLDER = 'knowledge/westminster-attack';
const REPORT_FILE = `${FOLDER}/report.json`;
const FACTS_FILE = `${FOLDER}/facts.json`;

const realReportJson = readFileSync(path.join(REPORT_DIR, 'report.json'), 'utf8');
const realFactsJson = readFileSync(path.join(REPORT_DIR, 'facts.json'), 'utf8');
const realSourceText = readFileSync(path.join(REPORT_DIR, 'source.txt'), 'utf8');

type Json = any; // mutated copies of the real files

function realSource(): ReportSource {
  return { folder: FOLDER, reportJson: realReportJson, factsJson: realFactsJson, sourceText: realSourceText };
}

/** The real folder with report.json and/or facts.json changed by `mutate`. */
function mutated(change: { report?: (report: Json) => void; facts?: (facts: Json) => void; sourceText?: string }): ReportSource {
  const report = JSON.parse(realReportJson) as Json;
  const facts = JSON.parse(realFactsJson) as Json;
  change.report?.(report);
  change.facts?.(facts);
  return {
    ...realSource(),
    reportJson: JSON.stringify(report),
    factsJson: JSON.stringify(facts),
    ...(change.sourceText !== undefined && { sourceText: change.sourceText }),
  };
}

function paragraphBlock(report: Json, number: number): Json {
  const block = report.blocks.find((candidate: Json) => candidate.paragraph === number);
  if (!block) throw new Error(`test setup: no paragraph ${number}`);
  return block;
}

function indexOfId(items: Json[], id: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw new Error(`test setup: no item ${id}`);
  return index;
}

/** Validates and expects exactly one error, returned for closer checks. */
function onlyError(source: ReportSource): KnowledgeIssue {
  const result = validateKnowledge([source]);
  expect(result.knowledge, 'invalid knowledge must not be built').toBeUndefined();
  expect(result.errors).toHaveLength(1);
  return result.errors[0]!;
}

describe('the real knowledge', () => {
  it('validates with no errors and no warnings', () => {
    const result = checkKnowledgeDir();
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([]);
    expect(result.knowledge?.reports.map((report) => report.meta.id)).toEqual([
      'chemical-plant-leak',
      'harbour-bridge-protest',
      'westminster-attack',
    ]);
  });

  it('loads 14 paragraphs numbered 1..14, the same as validating the files by hand', () => {
    const report = loadKnowledge().reports.find((candidate) => candidate.meta.id === 'westminster-attack')!;
    expect(report.paragraphs.map((paragraph) => paragraph.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(validateKnowledge([realSource()]).errors).toEqual([]);
  });

  it('keeps the report text verbatim, curly quotes and non-breaking spaces included', () => {
    const report = loadKnowledge().reports.find((candidate) => candidate.meta.id === 'westminster-attack')!;
    expect(report.paragraphs[0]!.text).toContain('Khalid Masood\u00a0and radical');
    expect(report.paragraphs[1]!.text).toContain('“main line of enquiry”');
  });
});

describe('validateKnowledge on broken copies of the real files', () => {
  it('reports invalid JSON with the file and the parser reason', () => {
    const error = onlyError({ ...realSource(), reportJson: realReportJson.slice(0, 200) });
    expect(error.file).toBe(REPORT_FILE);
    expect(error.reason).toMatch(/^not valid JSON: .+ at line \d+, column \d+$/);
    expect(formatIssue(error)).toMatch(/^knowledge\/westminster-attack\/report\.json: \(file\): not valid JSON/);
  });

  it('reports a missing file', () => {
    const error = onlyError({ ...realSource(), factsJson: undefined });
    expect(error).toEqual({ file: FACTS_FILE, field: '', reason: 'file is missing' });
  });

  it('reports an empty knowledge folder', () => {
    const result = validateKnowledge([]);
    expect(result.knowledge).toBeUndefined();
    expect(result.errors).toEqual([{ file: 'knowledge/', field: '', reason: 'no report folders found' }]);
  });

  it('reports a quote without text at its field', () => {
    const error = onlyError(mutated({ facts: (facts) => delete facts.quotes[2].text }));
    expect(error.file).toBe(FACTS_FILE);
    expect(error.field).toBe('quotes[2].text');
    expect(error.reason).toMatch(/expected string/);
  });

  it('reports a claim status outside the four statuses, listing the allowed ones', () => {
    const error = onlyError(mutated({ facts: (facts) => (facts.claims[1].status = 'maybe') }));
    expect(error.file).toBe(FACTS_FILE);
    expect(error.field).toBe('claims[1].status');
    for (const status of ['disputed', 'unproven', 'speculation', 'confirmed']) expect(error.reason).toContain(status);
  });

  it('reports every schema problem at once, not only the first', () => {
    const result = validateKnowledge([
      mutated({
        facts: (facts) => {
          facts.claims[0].status = 'maybe';
          facts.arrests[0].paragraphs = [];
          facts.entities[0].id = 'Khalid Masood';
        },
      }),
    ]);
    expect(result.errors.map((error) => error.field).sort()).toEqual(['arrests[0].paragraphs', 'claims[0].status', 'entities[0].id']);
    expect(result.errors.find((error) => error.field === 'arrests[0].paragraphs')?.reason).toBe('must cite at least one paragraph');
    expect(result.errors.find((error) => error.field === 'entities[0].id')?.reason).toBe('must be lower-case letters, digits and dashes');
  });

  it('reports an unknown key in report.json (strict schema)', () => {
    const error = onlyError(mutated({ report: (report) => (report.author = 'someone') }));
    expect(error.file).toBe(REPORT_FILE);
    expect(error.reason).toMatch(/author/);
  });

  it('reports a duplicate id and where it was first used', () => {
    const error = onlyError(mutated({ facts: (facts) => (facts.arrests[1].id = facts.arrests[0].id) }));
    expect(error).toEqual({ file: FACTS_FILE, field: 'arrests[1].id', reason: 'id "arrest-birmingham-30" is already used by arrests[0]' });
  });

  it('reports a duplicate id across collections', () => {
    const error = onlyError(mutated({ facts: (facts) => (facts.timeline[0].id = 'claim-isis-responsible') }));
    expect(error.field).toBe('timeline[0].id');
    expect(error.reason).toContain('claims[0]');
  });

  it('reports a cited paragraph that does not exist', () => {
    const error = onlyError(mutated({ facts: (facts) => (facts.claims[0].paragraphs = [3, 99]) }));
    expect(error).toEqual({
      file: FACTS_FILE,
      field: 'claims[0].paragraphs[1]',
      reason: 'paragraph 99 does not exist (the report has 14)',
    });
  });

  it('reports a quote that is not verbatim in its paragraph', () => {
    const error = onlyError(
      mutated({
        facts: (facts) => (facts.quotes[indexOfId(facts.quotes, 'quote-rudd-no-place-to-hide')].text = 'no place for criminals to hide'),
      }),
    );
    expect(error.file).toBe(FACTS_FILE);
    expect(error.field).toMatch(/^quotes\[\d+\]\.text$/);
    expect(error.reason).toBe('is not verbatim in paragraph 10');
  });

  it('reports a quote cited to the wrong paragraph', () => {
    const error = onlyError(
      mutated({
        facts: (facts) => (facts.quotes[indexOfId(facts.quotes, 'quote-basu-prison')].paragraphs = [11]),
      }),
    );
    expect(error.reason).toBe('is not verbatim in paragraph 11');
  });

  it('accepts a quote that is verbatim once curly quotes and non-breaking spaces are normalised', () => {
    // Paragraph 9 reads "authorities’\u00a0ability" (curly apostrophe, non-breaking space) and
    // paragraph 2 "a “main line of enquiry”": typed with plain characters, the quotes still match.
    const source = mutated({
      facts: (facts) => {
        facts.quotes.push(
          {
            id: 'quote-plain-apostrophe',
            speaker: 'police',
            role: '',
            text: "authorities' ability to intercept communications",
            occasion: '',
            paragraphs: [9],
          },
          {
            id: 'quote-plain-quotes',
            speaker: 'police',
            role: '',
            text: 'now forms a "main line of enquiry"',
            occasion: '',
            paragraphs: [2],
          },
          {
            id: 'quote-plain-space',
            speaker: 'police',
            role: '',
            text: 'Khalid Masood and radical Islamist groups',
            occasion: '',
            paragraphs: [1],
          },
        );
      },
    });
    expect(realReportJson).toContain('authorities’\u00a0ability');
    const result = validateKnowledge([source]);
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.knowledge).toBeDefined();
  });

  it('reports a quote whose speaker is not an entity', () => {
    const error = onlyError(mutated({ facts: (facts) => (facts.quotes[0].speaker = 'nobody') }));
    expect(error).toEqual({ file: FACTS_FILE, field: 'quotes[0].speaker', reason: 'no entity has id "nobody"' });
  });

  it('reports an alias that maps to two entities', () => {
    const error = onlyError(
      mutated({
        facts: (facts) => facts.entities[indexOfId(facts.entities, 'amber-rudd')].aliases.push('Basu'),
      }),
    );
    expect(error.file).toBe(FACTS_FILE);
    expect(error.field).toMatch(/^entities\[\d+\]\.aliases$/);
    expect(error.reason).toContain('"Basu" already names entity "neil-basu"');
  });

  it('treats aliases differing only in case and punctuation as the same alias', () => {
    const error = onlyError(
      mutated({
        facts: (facts) => facts.entities[indexOfId(facts.entities, 'police')].aliases.push('al qaeda'),
      }),
    );
    expect(error.reason).toContain('"al-qaeda"');
  });

  it('reports paragraphs numbered out of order', () => {
    const result = validateKnowledge([
      mutated({
        report: (report) => {
          paragraphBlock(report, 13).paragraph = 99;
          paragraphBlock(report, 14).paragraph = 13;
          paragraphBlock(report, 99).paragraph = 14;
        },
      }),
    ]);
    expect(result.knowledge).toBeUndefined();
    expect(result.errors.map(formatIssue)).toEqual([
      `${REPORT_FILE}: blocks: paragraph 14: paragraphs must be numbered 1, 2, 3... in order; expected 13`,
      `${REPORT_FILE}: blocks: paragraph 13: paragraphs must be numbered 1, 2, 3... in order; expected 14`,
    ]);
  });

  it('reports a gap in the paragraph numbers, and the paragraph of source.txt left out', () => {
    const result = validateKnowledge([
      mutated({
        report: (report) => {
          report.blocks = report.blocks.filter((block: Json) => block.paragraph !== 14);
          paragraphBlock(report, 13).paragraph = 14;
        },
        facts: (facts) => {
          for (const collection of ['entities', 'arrests', 'quotes', 'claims', 'timeline']) {
            for (const item of facts[collection]) item.paragraphs = item.paragraphs.map((number: number) => (number === 13 ? 14 : number));
          }
        },
      }),
    ]);
    expect(result.errors.map(formatIssue)).toEqual([
      `${REPORT_FILE}: blocks: paragraph 14: paragraphs must be numbered 1, 2, 3... in order; expected 13`,
      `${REPORT_FILE}: blocks: block 16 of source.txt ("On Friday a 32-year-old woman was detained but has been bail…") is in no paragraph or heading`,
    ]);
  });

  it('reports a paragraph that is not verbatim from source.txt', () => {
    const error = onlyError(
      mutated({
        report: (report) => {
          const block = paragraphBlock(report, 7);
          const edited = block.text.replace('BBC', 'Sky News');
          expect(edited).not.toBe(block.text);
          block.text = edited;
        },
      }),
    );
    expect(error).toEqual({ file: REPORT_FILE, field: 'blocks: paragraph 7.text', reason: 'is not verbatim from source.txt' });
  });

  it('reports a missing source.txt: without it nothing can be checked verbatim', () => {
    expect(onlyError({ ...realSource(), sourceText: undefined })).toEqual({
      file: `${FOLDER}/source.txt`,
      field: '',
      reason: 'file is missing: it holds the report as received, which every paragraph is checked against',
    });
  });

  it('reports every problem in one pass: a schema error does not hide a cross-file one', () => {
    const result = validateKnowledge([
      mutated({
        facts: (facts) => {
          facts.quotes[0].speaker = 'Not An Id';
          facts.claims[0].paragraphs = [99];
        },
        report: (report) => (paragraphBlock(report, 10).attribution.speaker = 'priti-patel'),
      }),
    ]);
    expect(result.errors.map(formatIssue)).toEqual([
      `${FACTS_FILE}: quotes[0].speaker: must be lower-case letters, digits and dashes`,
      `${FACTS_FILE}: claims[0].paragraphs[0]: paragraph 99 does not exist (the report has 14)`,
      `${REPORT_FILE}: blocks: paragraph 10.attribution.speaker: no entity has id "priti-patel"`,
    ]);
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(
      validateKnowledge([{ ...realSource(), reportJson: `\uFEFF${realReportJson}`, factsJson: `\uFEFF${realFactsJson}` }]).errors,
    ).toEqual([]);
  });

  it('refuses a report link that is not http(s)', () => {
    const error = onlyError(mutated({ report: (report) => (report.url = 'javascript:alert(1)') }));
    expect(error).toMatchObject({ file: REPORT_FILE, field: 'url' });
  });

  it('one invalid folder leaves the others valid, and names itself', () => {
    const broken = { ...realSource(), folder: 'knowledge/broken', reportJson: '{' };
    const other = mutated({ report: (report) => (report.id = 'westminster-copy') });
    const result = validateKnowledge([broken, { ...other, folder: 'knowledge/westminster-copy' }]);
    expect(result.knowledge).toBeUndefined();
    expect(result.reports.map((report) => report.meta.id)).toEqual(['westminster-copy']);
    expect(result.folders.map(({ folder, report }) => [folder, report !== undefined])).toEqual([
      ['knowledge/broken', false],
      ['knowledge/westminster-copy', true],
    ]);
    expect(result.errors.map((error) => error.file)).toEqual(['knowledge/broken/report.json']);
  });

  it('reports an attribution speaker that is not an entity', () => {
    const error = onlyError(mutated({ report: (report) => (paragraphBlock(report, 10).attribution.speaker = 'priti-patel') }));
    expect(error).toEqual({
      file: REPORT_FILE,
      field: 'blocks: paragraph 10.attribution.speaker',
      reason: 'no entity has id "priti-patel"',
    });
  });

  it('warns (without failing) when there are no suggested questions', () => {
    const result = validateKnowledge([mutated({ facts: (facts) => (facts.suggestedQuestions = []) })]);
    expect(result.errors).toEqual([]);
    expect(result.knowledge).toBeDefined();
    expect(result.warnings.map((warning) => warning.field)).toEqual(['suggestedQuestions']);
  });

  it('loadKnowledge throws a KnowledgeError listing "file: field: reason"', () => {
    const dir = tempKnowledgeCopy((folder) => {
      const facts = JSON.parse(realFactsJson) as Json;
      facts.claims[0].status = 'maybe';
      writeFileSync(path.join(folder, 'facts.json'), JSON.stringify(facts));
    });
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(dir)).toThrow(/facts\.json: claims\[0\]\.status: Invalid option/);
  });
});

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A temp knowledge dir holding a copy of the real report folder, changed by `change`. */
function tempKnowledgeCopy(change: (folder: string) => void): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-bot-knowledge-'));
  tempDirs.push(dir);
  const folder = path.join(dir, 'westminster-attack');
  cpSync(REPORT_DIR, folder, { recursive: true });
  change(folder);
  return dir;
}

/** `tsx src/cli/validate-knowledge.ts <dir>` (the `npm run validate-knowledge` script, without npm's start-up). */
function runValidateCli(dir?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/validate-knowledge.ts', ...(dir ? [dir] : [])], {
      cwd: PROJECT_ROOT,
      timeout: 15_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the validate-knowledge CLI', () => {
  it('exits 0 on the real knowledge and says so', async () => {
    const { status, stdout, stderr } = await runValidateCli(DEFAULT_KNOWLEDGE_DIR);
    expect(stderr).not.toMatch(/^warning:/m);
    const knowledge = loadKnowledge();
    const paragraphs = knowledge.reports.reduce((sum, report) => sum + report.paragraphs.length, 0);
    expect(stdout).toContain(`Knowledge is valid: ${knowledge.reports.length} report(s), ${paragraphs} paragraphs.`);
    expect(status).toBe(0);
  });

  it('exits 1 with one "file: field: reason" line per problem and no stack trace', async () => {
    const dir = tempKnowledgeCopy((folder) => {
      const facts = JSON.parse(realFactsJson) as Json;
      facts.claims[0].paragraphs = [3, 99];
      facts.arrests[1].id = facts.arrests[0].id;
      writeFileSync(path.join(folder, 'facts.json'), JSON.stringify(facts, null, 2));
    });
    const { status, stdout, stderr } = await runValidateCli(dir);
    expect(status).toBe(1);
    const errorLines = stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errorLines).toHaveLength(2);
    for (const line of errorLines) expect(line).toMatch(/^error: \S*westminster-attack\/facts\.json: [a-z]+\[\d+\]\.[a-z]+(\[\d+\])?: .+/);
    expect(stderr).toContain('facts.json: claims[0].paragraphs[1]: paragraph 99 does not exist');
    expect(stderr).toContain('facts.json: arrests[1].id: id "arrest-birmingham-30" is already used by arrests[0]');
    expect(stderr).toContain('Knowledge is invalid: 2 error(s)');
    expect(`${stdout}${stderr}`).not.toMatch(/^ {4}at /m);
    expect(stdout).not.toContain('Knowledge is valid');
  });

  it('exits 1 on a file that is not JSON, naming the file, without a stack trace', async () => {
    const dir = tempKnowledgeCopy((folder) => writeFileSync(path.join(folder, 'report.json'), '{ "id": "westminster-attack", '));
    const { status, stderr } = await runValidateCli(dir);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^error: \S*westminster-attack\/report\.json: \(file\): not valid JSON/m);
    expect(stderr).not.toMatch(/^ {4}at /m);
  });

  it('exits 1 when a file is missing', async () => {
    const dir = tempKnowledgeCopy((folder) => rmSync(path.join(folder, 'facts.json')));
    const { status, stderr } = await runValidateCli(dir);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^error: \S*westminster-attack\/facts\.json: \(file\): file is missing$/m);
  });
});
