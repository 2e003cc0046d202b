import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ReportLibrary } from './core/answer/library.ts';
import { checkKnowledgeDir, KnowledgeDirError } from './core/knowledge/load.ts';
import type { Report } from './core/knowledge/types.ts';
import { formatIssue } from './core/knowledge/validate.ts';
import type { ReloadOutcome } from './bot/types.ts';
import type { Logger } from './logger.ts';
import { describeError } from './core/errors.ts';

/** Editors and add-report write several files: wait for the writes to settle before reading. */
const SETTLE_MS = 400;

/**
 * Keeps the library in step with the knowledge folder. Each folder is validated on its own: a
 * valid change is served at once; an invalid one is logged and refused, and that report's last
 * good version keeps serving. A folder that disappears stops being served.
 */
export class KnowledgeReloader {
  private lastGood = new Map<string, Report>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly library: ReportLibrary,
    private readonly logger: Logger,
  ) {}

  /** Remembers what the library was started with, folder by folder. */
  started(folders: ReadonlyArray<{ folder: string; report: Report | undefined }>): void {
    for (const { folder, report } of folders) if (report) this.lastGood.set(folder, report);
  }

  reload(reason: string): ReloadOutcome {
    let result;
    try {
      result = checkKnowledgeDir(this.dir);
    } catch (error) {
      const message = error instanceof KnowledgeDirError ? error.message : String(error);
      this.logger.error('knowledge reload refused', { reason, error: message });
      return { ok: false, message: `Nothing changed: ${message}` };
    }
    const next = new Map<string, Report>();
    const refused: string[] = [];
    for (const { folder, report } of result.folders) {
      const kept = report ?? this.lastGood.get(folder);
      if (!report) refused.push(folder);
      if (kept) next.set(folder, kept);
    }
    for (const error of result.errors) this.logger.error('invalid knowledge', { reason, problem: formatIssue(error) });
    if (next.size === 0) return { ok: false, message: 'Nothing changed: no report folder is valid (see the log).' };
    this.lastGood = next;
    const update = this.library.update({ reports: [...next.values()] });
    const changes = [
      ...update.added.map((id) => `added ${id}`),
      ...update.changed.map((id) => `updated ${id}`),
      ...update.removed.map((id) => `removed ${id}`),
    ];
    if (changes.length > 0) this.logger.info('knowledge reloaded', { reason, changes: changes.join(', ') });
    const refusedLine =
      refused.length > 0
        ? ` Refused (invalid, the last good version keeps serving): ${refused.map((folder) => path.basename(folder)).join(', ')}; the log says why.`
        : '';
    return {
      ok: refused.length === 0,
      message: `${changes.length > 0 ? `Reloaded: ${changes.join(', ')}.` : 'No report changed.'} ${this.library.reports.length} report(s) served.${refusedLine}`,
    };
  }

  /** Watches the folder: a change is picked up a moment after the last write. */
  watch(): void {
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload('file change'), SETTLE_MS);
      });
      this.watcher.on('error', (error) => this.logger.warn('knowledge folder watch stopped', { error: error.message }));
    } catch (error) {
      this.logger.warn('cannot watch the knowledge folder; use /reload or SIGHUP', { error: describeError(error) });
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
