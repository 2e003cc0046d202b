import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Reads every report folder under `dir` (one folder per report). */
export function readReportSources(dir: string = DEFAULT_KNOWLEDGE_DIR): ReportSource[] {
  if (!existsSync(dir)) return [];
  const shown = path.relative(process.cwd(), dir) || '.';
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

/** Loads and validates; throws KnowledgeError when anything is wrong, so nothing starts on bad knowledge. */
export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): Knowledge {
  const result = checkKnowledgeDir(dir);
  if (!result.knowledge) throw new KnowledgeError(result.errors);
  return result.knowledge;
}
