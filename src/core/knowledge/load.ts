import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatIssue, validateKnowledge, type KnowledgeIssue, type ReportSource, type ValidationResult } from './validate.ts';
import type { Knowledge } from './types.ts';

/** Where the knowledge lives unless told otherwise: `knowledge/` at the project root. */
export const DEFAULT_KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../../knowledge');

/** Thrown when the knowledge is invalid; the message lists every problem as file: field: reason. */
export class KnowledgeError extends Error {
  constructor(readonly issues: KnowledgeIssue[]) {
    super(`The knowledge is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

function readIfPresent(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Thrown when the knowledge folder itself cannot be read: the message names the folder and KNOWLEDGE_DIR. */
export class KnowledgeDirError extends Error {
  override name = 'KnowledgeDirError';
}

/** Reads every report folder under `dir` (one folder per report). */
export function readReportSources(dir: string = DEFAULT_KNOWLEDGE_DIR): ReportSource[] {
  const shown = path.relative(process.cwd(), dir) || '.';
  if (!existsSync(dir)) throw new KnowledgeDirError(`The knowledge folder ${shown} does not exist. Set KNOWLEDGE_DIR to the folder that holds the report folders, or add a report with npm run add-report.`);
  if (!statSync(dir).isDirectory()) throw new KnowledgeDirError(`KNOWLEDGE_DIR (${shown}) is a file, not a folder: point it at the folder that holds one sub-folder per report.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const folder = path.join(dir, entry.name);
      return {
        folder: path.join(shown, entry.name),
        reportJson: readIfPresent(path.join(folder, 'report.json')),
        factsJson: readIfPresent(path.join(folder, 'facts.json')),
        sourceText: readIfPresent(path.join(folder, 'source.txt')),
      };
    });
}

export function checkKnowledgeDir(dir: string = DEFAULT_KNOWLEDGE_DIR): ValidationResult {
  return validateKnowledge(readReportSources(dir));
}

/**
 * What the bot serves: every valid report, while each invalid folder is reported (file, field,
 * reason) and skipped. Throws KnowledgeError only when no report at all is valid.
 */
export function loadServableKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): ValidationResult & { knowledge: Knowledge } {
  const result = checkKnowledgeDir(dir);
  if (result.reports.length === 0) throw new KnowledgeError(result.errors);
  return { ...result, knowledge: { reports: result.reports } };
}

/** Loads and validates; throws KnowledgeError when anything is wrong (tools that must see all-valid knowledge). */
export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): Knowledge {
  const result = checkKnowledgeDir(dir);
  if (!result.knowledge) throw new KnowledgeError(result.errors);
  return result.knowledge;
}
