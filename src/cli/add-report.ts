import 'dotenv/config';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readKnowledgeDir } from '../config.ts';
import { importArticle, looksLikeHtml, readArticle, type ImportedReport, type KnowledgeFiles } from '../core/ingest/index.ts';
import { formatIssue, validateKnowledge } from '../core/knowledge/validate.ts';
import { describeError } from '../core/errors.ts';

const USAGE = `Usage: npm run add-report -- <file.txt | file.html | https://...> [--id <folder-name>] [--timeout <seconds>]

Reads a report (plain text: the first line is the title; or a web page, saved or fetched), finds
its structure (who said what, quotes, people, dates, arrests) and writes KNOWLEDGE_DIR/<id>/,
ready to serve. Adding the same report again keeps every fact written or corrected by hand.`;

/** Pages larger than this are refused: no news article is this big, and it keeps the fetch bounded. */
const MAX_PAGE_BYTES = 5_000_000;
const DEFAULT_TIMEOUT_SECONDS = 20;

class AddReportError extends Error {}

async function readInput(input: string, timeoutSeconds: number): Promise<{ content: string; html: boolean; pageUrl?: string }> {
  if (/^https?:\/\//i.test(input)) {
    let response: Response;
    try {
      response = await fetch(input, {
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
        headers: { 'user-agent': 'ReportBot add-report' },
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutSeconds} s (--timeout to wait longer)`
          : describe(error);
      throw new AddReportError(`Could not fetch ${input}: ${reason}.`);
    }
    if (!response.ok) throw new AddReportError(`Could not fetch ${input}: the server answered ${response.status} ${response.statusText}.`);
    const content = await response.text();
    if (content.length > MAX_PAGE_BYTES)
      throw new AddReportError(`${input} is larger than ${MAX_PAGE_BYTES / 1e6} MB; save the article and add the file.`);
    return { content, html: looksLikeHtml(content, response.headers.get('content-type') ?? ''), pageUrl: response.url || input };
  }
  if (!existsSync(input)) throw new AddReportError(`No such file: ${input}`);
  if (statSync(input).isDirectory()) throw new AddReportError(`${input} is a folder: give the report's text file or saved page.`);
  const content = readFileSync(input, 'utf8');
  return { content, html: looksLikeHtml(content, path.extname(input)) };
}

function describe(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return describeError(error);
}

function readExisting(folder: string): Partial<KnowledgeFiles> | undefined {
  const read = (name: string): unknown => {
    const file = path.join(folder, name);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new AddReportError(`${file} is not valid JSON (${describe(error)}); fix or remove it before adding the report again.`);
    }
  };
  if (!existsSync(folder)) return undefined;
  return { report: read('report.json'), facts: read('facts.json') } as Partial<KnowledgeFiles>;
}

function summary(imported: ImportedReport, folder: string): string {
  const { report, facts } = imported.files;
  const paragraphs = report.blocks.filter((block) => 'paragraph' in block).length;
  const headings = report.blocks.length - paragraphs;
  const attributed = report.blocks.filter((block) => 'paragraph' in block && block.attribution).length;
  const count = (items: Array<{ origin?: string }>): string => {
    const hand = items.filter((item) => item.origin !== 'automatic').length;
    return hand > 0 ? `${items.length} (${hand} by hand)` : String(items.length);
  };
  return [
    `Added "${report.title}" to ${folder}`,
    `  outlet: ${report.outlet || '(not given)'}, date: ${report.date || '(not given)'}, link: ${report.url || '(none)'}`,
    `  ${paragraphs} paragraphs, ${headings} headings, ${attributed} paragraphs attributed`,
    `  people and organisations: ${count(facts.entities)}${
      facts.entities.length > 0
        ? ` (${facts.entities
            .slice(0, 8)
            .map((entity) => entity.name)
            .join(', ')}${facts.entities.length > 8 ? ', ...' : ''})`
        : ''
    }`,
    `  quotes: ${count(facts.quotes)}, arrests: ${count(facts.arrests)}, timeline: ${count(facts.timeline)}, claims: ${count(facts.claims)}`,
    'Found automatically and marked "origin": "automatic"; correct a fact by editing it and removing that mark.',
    'The bot picks the report up without a restart (or run /reload).',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { id: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(USAGE);
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new AddReportError(USAGE);
  if (values.id !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(values.id))
    throw new AddReportError('--id must be lower-case letters, digits and dashes.');
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!(timeout > 0)) throw new AddReportError('--timeout must be a number of seconds above 0.');

  const knowledgeDir = readKnowledgeDir(process.env);
  const { content, html, pageUrl } = await readInput(input, timeout);
  const article = readArticle(content, { html, ...(pageUrl && { pageUrl }) });
  if (!article.title) throw new AddReportError(`${input} has no title: the first line of a text file is the title.`);
  if (!article.blocks.some((block) => block.kind === 'paragraph')) {
    throw new AddReportError(`${input} has a title but no paragraphs: after the first line, paragraphs are separated by blank lines.`);
  }
  const firstPass = importArticle(article, values.id ? { id: values.id } : {});
  const folder = path.join(knowledgeDir, firstPass.files.report.id);
  const existing = readExisting(folder);
  const imported = existing ? importArticle(article, { id: firstPass.files.report.id, existing }) : firstPass;

  const sources = [
    {
      folder: path.relative(process.cwd(), folder) || folder,
      reportJson: JSON.stringify(imported.files.report),
      factsJson: JSON.stringify(imported.files.facts),
      sourceText: imported.sourceText,
    },
  ];
  const { errors } = validateKnowledge(sources);
  if (errors.length > 0)
    throw new AddReportError(
      `The report could not be made valid, nothing was written:\n${errors.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`,
    );

  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'source.txt'), imported.sourceText);
  writeFileSync(path.join(folder, 'report.json'), `${JSON.stringify(imported.files.report, null, 2)}\n`);
  writeFileSync(path.join(folder, 'facts.json'), `${JSON.stringify(imported.files.facts, null, 2)}\n`);
  console.log(summary(imported, path.relative(process.cwd(), folder) || folder));
}

main().catch((error: unknown) => {
  console.error(
    error instanceof AddReportError || (error instanceof Error && error.name === 'NoArticleError')
      ? error.message
      : `add-report failed: ${describe(error)}`,
  );
  process.exit(1);
});
