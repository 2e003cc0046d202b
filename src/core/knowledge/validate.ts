import type { z } from 'zod';
import { foldForMatching, normalizeText } from '../text.ts';
import { factsFileSchema, reportFileSchema, type FactsFile, type ReportFile } from './schema.ts';
import type { Knowledge, Paragraph, Report, ReportBlock } from './types.ts';

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
  const reportIds = new Set<string>();

  if (sources.length === 0) {
    errors.push({ file: 'knowledge/', field: '', reason: 'no report folders found' });
  }

  for (const source of sources) {
    const reportFile = `${source.folder}/report.json`;
    const factsFile = `${source.folder}/facts.json`;
    const reportData = parseFile(reportFile, source.reportJson, reportFileSchema, errors);
    const factsData = parseFile(factsFile, source.factsJson, factsFileSchema, errors);
    if (!reportData || !factsData) continue;

    const before = errors.length;
    if (reportIds.has(reportData.id)) {
      errors.push({ file: reportFile, field: 'id', reason: `report id "${reportData.id}" is used by another folder` });
    }
    reportIds.add(reportData.id);
    const report = buildReport(reportData, factsData);
    checkReport(report, reportFile, factsFile, source.sourceText, errors, warnings);
    if (errors.length === before) reports.push(report);
  }

  return { knowledge: errors.length === 0 ? { reports } : undefined, errors, warnings };
}

function parseFile<Schema extends z.ZodType>(
  file: string,
  text: string | undefined,
  schema: Schema,
  errors: KnowledgeIssue[],
): z.infer<Schema> | undefined {
  if (text === undefined) {
    errors.push({ file, field: '', reason: 'file is missing' });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    errors.push({ file, field: '', reason: `not valid JSON (${(error as Error).message})` });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({ file, field: formatPath(issue.path), reason: issue.message });
    }
    return undefined;
  }
  return parsed.data;
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
): void {
  if (report.facts.suggestedQuestions.length === 0) {
    warnings.push({ file: factsFile, field: 'suggestedQuestions', reason: 'empty: autocomplete and "not covered" replies will have nothing to offer' });
  }
  const numbers = new Set<number>();
  report.paragraphs.forEach((paragraph, index) => {
    const field = `blocks: paragraph ${paragraph.number}`;
    if (paragraph.number !== index + 1) {
      errors.push({ file: reportFile, field, reason: `paragraphs must be numbered 1, 2, 3... in order; expected ${index + 1}` });
    }
    numbers.add(paragraph.number);
    if (sourceText !== undefined && !normalizeText(sourceText).includes(normalizeText(paragraph.text))) {
      errors.push({ file: reportFile, field: `${field}.text`, reason: 'is not verbatim from source.txt' });
    }
  });

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

  quotes.forEach((quote, index) => {
    const field = `quotes[${index}]`;
    if (!entityIds.has(quote.speaker)) {
      errors.push({ file: factsFile, field: `${field}.speaker`, reason: `no entity has id "${quote.speaker}"` });
    }
    const words = comparable(quote.text);
    const found = quote.paragraphs.some((number) => {
      const paragraph = report.paragraphs.find((candidate) => candidate.number === number);
      return paragraph !== undefined && comparable(paragraph.text).includes(words);
    });
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
