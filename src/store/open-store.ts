import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openPostgresStore, redactDatabaseUrl } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { BotStore } from './types.ts';

/** The store the configuration names: PostgreSQL with DATABASE_URL, else the SQLite file (DATABASE_PATH). */
export async function openConfiguredStore(config: Config, logger: Logger): Promise<BotStore> {
  if (!config.database) return openSqliteStore(config.databasePath, { unansweredLimit: config.unansweredLimit });
  const { url, ...settings } = config.database;
  return openPostgresStore(url, {
    ...settings,
    unansweredLimit: config.unansweredLimit,
    onConnectionError: (problem) => logger.warn('database connection lost; the next query reconnects', { problem }),
  });
}

/** Where the store is, for logs: the file, or the URL without its password. */
export function storeLocation(config: Config): string {
  return config.database ? redactDatabaseUrl(config.database.url) : config.databasePath;
}
