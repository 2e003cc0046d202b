import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../src/core/knowledge/load.ts';

/**
 * Quality must come from the method and general language, never from one report's words: no
 * entity name or alias of any report may appear in the source code, not even in a comment.
 */
const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|json)$/.test(entry.name) ? [full] : [];
  });
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('src/ is general', () => {
  const names = [
    ...new Set(loadKnowledge().reports.flatMap((report) => report.facts.entities.flatMap((entity) => [entity.name, ...entity.aliases]))),
  ].filter((name) => name.length >= 3);

  it('has report names to look for', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it('names no entity or alias of any report', () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const name of names) {
        if (new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'u').test(text))
          found.push(`${path.relative(SRC, file)}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
