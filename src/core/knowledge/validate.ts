import type { z } from 'zod';
import { foldForMatching, normalizeText } from '../text.ts';
import { factsFileSchema, reportFileSchema, type FactsFile, type ReportFile } from './schema.ts';
import type { Knowledge, Paragraph, Report, ReportBlock } from './types.ts';
import { describeError } from '../errors.ts';

/** The raw contents of one report folder, as read from disk (or built by a test). */
export interface ReportSource {
  /** Folder path as shown to the operator, e.g. "knowledge/westminster-attack". */
  folder: string;
  reportJson: string | undefined;
  factsJson: string | undefined;
  /** The report as received, if kept beside the JSON: paragraphs are checked to be verbatim from it. */
  sourceText?: string | undefined;
}

export interface KnowledgeIssue {
  file: string;
  field: string;
  reason: string;
}

export interface ValidationResult {
  /** Present only when there are no errors. */
  knowledge: Knowledge | undefined;
  /** The reports that are valid, whatever is wrong with the other folders (the bot serves these). */
  reports: Report[];
  /** Each folder and its report when that folder is valid. */
  folders: Array<{ folder: string; report: Report | undefined }>;
  errors: KnowledgeIssue[];
  warnings: KnowledgeIssue[];
}

export function formatIssue(issue: KnowledgeIssue): string {
  return `${issue.file}: ${issue.field || '(file)'}: ${issue.reason}`;
}

/** Checks every report folder and builds the knowledge when all is well. Pure: no I/O. */
export function validateKnowledge(sources: ReportSource[]): ValidationResult {
  const errors: KnowledgeIssue[] = [];
  const warnings: KnowledgeIssue[] = [];
  const reports: Report[] = [];
  const folders: ValidationResult['folders'] = [];
  const reportIds = new Map<string, string>();

  if (sources.length === 0) {
    errors.push({ file: 'knowledge/', field: '', reason: 'no report folders found' });
  }

  for (const source of sources) {
    const folderErrors: KnowledgeIssue[] = [];
    const report = checkFolder(source, folderErrors, warnings);
    if (report) {
      const other = reportIds.get(report.meta.id);
      if (other !== undefined) folderErrors.push({ file: `${source.folder}/report.json`, field: 'id', reason: `report id "${report.meta.id}" is used by ${other} too` });
      else reportIds.set(report.meta.id, source.folder);
    }
    errors.push(...folderErrors);
    const valid = folderErrors.length === 0 ? report : undefined;
    if (valid) reports.push(valid);
    folders.push({ folder: source.folder, report: valid });
  }

  return { knowledge: errors.length === 0 ? { reports } : undefined, reports, folders, errors, warnings };
}

/** One folder: both files parsed (what can be salvaged of each is still checked), then the cross-file rules. */
function checkFolder(source: ReportSource, errors: KnowledgeIssue[], warnings: KnowledgeIssue[]): Report | undefined {
  const reportFile = `${source.folder}/report.json`;
  const factsFile = `${source.folder}/facts.json`;
  const reportData = parseFile(reportFile, source.reportJson, reportFileSchema, errors);
  const factsData = parseFile(factsFile, source.factsJson, factsFileSchema, errors);
  if (source.sourceText === undefined) {
    errors.push({ file: `${source.folder}/source.txt`, field: '', reason: 'file is missing: it holds the report as received, which every paragraph is checked against' });
  }
  if (!reportData || !factsData) return undefined;
  const report = buildReport(reportData.value, factsData.value);
  checkReport(report, reportFile, factsFile, source.sourceText, errors, warnings, { completeBlocks: !reportData.salvaged });
  return report;
}

/**
 * Parses a file with its schema. When some array items are invalid, they are reported and left
 * out, and the rest is still returned (salvaged), so the cross-file checks report their problems too.
 */
function parseFile<Schema extends z.ZodType>(
  file: string,
  text: string | undefined,
  schema: Schema,
  errors: KnowledgeIssue[],
): { value: z.infer<Schema>; salvaged: boolean } | undefined {
  if (text === undefined) {
    errors.push({ file, field: '', reason: 'file is missing' });
    return undefined;
  }
  const withoutBom = text.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(withoutBom);
  } catch (error) {
    errors.push({ file, field: '', reason: `not valid JSON: ${describeJsonError(withoutBom, error)}` });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data, salvaged: false };
  for (const issue of parsed.error.issues) {
    errors.push({ file, field: formatPath(issue.path), reason: issue.message });
  }
  const salvaged = schema.safeParse(withoutInvalidItems(json, parsed.error.issues.map((issue) => issue.path)));
  return salvaged.success ? { value: salvaged.data, salvaged: true } : undefined;
}

/** The JSON with every array item an issue points into taken out (top-level fields cannot be salvaged). */
function withoutInvalidItems(json: unknown, paths: ReadonlyArray<ReadonlyArray<PropertyKey>>): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  const doomed = new Map<string, Set<number>>();
  for (const path of paths) {
    const [field, index] = path;
    if (typeof field === 'string' && typeof index === 'number') {
      if (!doomed.has(field)) doomed.set(field, new Set());
      doomed.get(field)?.add(index);
    }
  }
  for (const [field, indexes] of doomed) {
    const items = copy[field];
    if (Array.isArray(items)) copy[field] = items.filter((_, index) => !indexes.has(index));
  }
  return copy;
}

/** "Unexpected token } ... at position 42" becomes "... at line 3, column 5". */
function describeJsonError(text: string, error: unknown): string {
  const message = describeError(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function buildReport(data: ReportFile, facts: FactsFile): Report {
  const blocks: ReportBlock[] = [];
  const paragraphs: Paragraph[] = [];
  let section: string | undefined;
  for (const block of data.blocks) {
    if ('heading' in block) {
      section = block.heading;
      blocks.push({ kind: 'heading', text: block.heading });
      continue;
    }
    const paragraph: Paragraph = {
      number: block.paragraph,
      text: block.text,
      ...(section !== undefined && { section }),
      ...(block.attribution && { attribution: block.attribution }),
      ...(block.keywords && { keywords: block.keywords }),
    };
    paragraphs.push(paragraph);
    blocks.push({ kind: 'paragraph', ...paragraph });
  }
  return {
    meta: { id: data.id, title: data.title, outlet: data.outlet, date: data.date, url: data.url },
    blocks,
    paragraphs,
    facts,
  };
}

/** The blocks of source.txt, normalised, its first line (the title) first. */
function sourceBlocksOf(sourceText: string): string[] {
  const text = sourceText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const titleEnd = text.indexOf('\n');
  const title = normalizeText(titleEnd === -1 ? text : text.slice(0, titleEnd));
  const blocks = (titleEnd === -1 ? '' : text.slice(titleEnd + 1))
    .split(/\n[ \t]*\n/)
    .map((block) => normalizeText(block.replace(/\s*\n\s*/g, ' ')))
    .filter(Boolean);
  return [title, ...blocks];
}

/**
 * Every block of source.txt (after its first line, the title) is in report.json, as a heading or
 * inside a paragraph: a paragraph left out would never be searched.
 */
function checkSourceCovered(report: Report, sourceBlocks: readonly string[], reportFile: string, errors: KnowledgeIssue[]): void {
  const known = new Set<string>([normalizeText(report.meta.title), ...report.blocks.map((block) => normalizeText(block.text))]);
  const joined = report.paragraphs.map((paragraph) => normalizeText(paragraph.text)).join('\n');
  sourceBlocks
    .slice(1)
    .forEach((block, index) => {
      if (known.has(block) || joined.includes(block)) return;
      errors.push({ file: reportFile, field: 'blocks', reason: `block ${index + 1} of source.txt ("${block.slice(0, 60)}${block.length > 60 ? '…' : ''}") is in no paragraph or heading` });
    });
}

/** Quotes are compared after normalising quotes, dashes and spaces, and case. */
function comparable(text: string): string {
  return foldForMatching(text).replace(/["']/g, '').replace(/\s+/g, ' ');
}

function checkReport(
  report: Report,
  reportFile: string,
  factsFile: string,
  sourceText: string | undefined,
  errors: KnowledgeIssue[],
  warnings: KnowledgeIssue[],
  { completeBlocks }: { completeBlocks: boolean },
): void {
  if (report.facts.suggestedQuestions.length === 0) {
    warnings.push({ file: factsFile, field: 'suggestedQuestions', reason: 'empty: autocomplete and "not covered" replies will have nothing to offer' });
  }
  const numbers = new Set<number>();
  // Normalised once: the check is linear in the report's size.
  const source = sourceText === undefined ? undefined : normalizeText(sourceText.replace(/^\uFEFF/, ''));
  // Most paragraphs are a whole block of the source: a set lookup, and a search only for the rest.
  const blocks = sourceText === undefined ? [] : sourceBlocksOf(sourceText);
  const sourceBlocks = new Set(blocks);
  report.paragraphs.forEach((paragraph, index) => {
    const field = `blocks: paragraph ${paragraph.number}`;
    if (completeBlocks && paragraph.number !== index + 1) {
      errors.push({ file: reportFile, field, reason: `paragraphs must be numbered 1, 2, 3... in order; expected ${index + 1}` });
    }
    numbers.add(paragraph.number);
    const text = normalizeText(paragraph.text);
    if (source !== undefined && !sourceBlocks.has(text) && !source.includes(text)) {
      errors.push({ file: reportFile, field: `${field}.text`, reason: 'is not verbatim from source.txt' });
    }
  });
  // Once every paragraph is verbatim, a block of the source in none of them was left out.
  const notVerbatim = errors.some((error) => error.file === reportFile && error.reason === 'is not verbatim from source.txt');
  if (sourceText !== undefined && completeBlocks && !notVerbatim) checkSourceCovered(report, blocks, reportFile, errors);

  const { entities, arrests, quotes, claims, timeline } = report.facts;
  const entityIds = new Set(entities.map((entity) => entity.id));
  const seenIds = new Map<string, string>();
  const collections = { entities, arrests, quotes, claims, timeline } as const;

  for (const [collection, items] of Object.entries(collections)) {
    items.forEach((item, index) => {
      const field = `${collection}[${index}]`;
      const earlier = seenIds.get(item.id);
      if (earlier) errors.push({ file: factsFile, field: `${field}.id`, reason: `id "${item.id}" is already used by ${earlier}` });
      seenIds.set(item.id, field);
      item.paragraphs.forEach((number, refIndex) => {
        if (!numbers.has(number)) {
          errors.push({ file: factsFile, field: `${field}.paragraphs[${refIndex}]`, reason: `paragraph ${number} does not exist (the report has ${numbers.size})` });
        }
      });
    });
  }

  const comparableText = new Map(report.paragraphs.map((paragraph) => [paragraph.number, comparable(paragraph.text)] as const));
  quotes.forEach((quote, index) => {
    const field = `quotes[${index}]`;
    if (!entityIds.has(quote.speaker)) {
      errors.push({ file: factsFile, field: `${field}.speaker`, reason: `no entity has id "${quote.speaker}"` });
    }
    const words = comparable(quote.text);
    const found = quote.paragraphs.some((number) => comparableText.get(number)?.includes(words) ?? false);
    if (!found) {
      errors.push({ file: factsFile, field: `${field}.text`, reason: `is not verbatim in paragraph ${quote.paragraphs.join(', ')}` });
    }
  });

  report.paragraphs.forEach((paragraph) => {
    const speaker = paragraph.attribution?.speaker;
    if (speaker !== undefined && !entityIds.has(speaker)) {
      errors.push({ file: reportFile, field: `blocks: paragraph ${paragraph.number}.attribution.speaker`, reason: `no entity has id "${speaker}"` });
    }
  });

  const aliasOwner = new Map<string, string>();
  entities.forEach((entity, index) => {
    for (const alias of [entity.name, ...entity.aliases]) {
      const key = comparable(alias);
      const owner = aliasOwner.get(key);
      if (owner !== undefined && owner !== entity.id) {
        errors.push({ file: factsFile, field: `entities[${index}].aliases`, reason: `"${alias}" already names entity "${owner}"; an alias must map to one entity` });
      }
      aliasOwner.set(key, entity.id);
    }
  });

}
