/** One line per event: time, level, message, then key=value context. Never pass secrets in. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogContext = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext & { error?: unknown }): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function formatValue(value: unknown): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

export function formatLogLine(level: LogLevel, message: string, context: Record<string, unknown> = {}, now = new Date()): string {
  const fields = Object.entries(context)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [now.toISOString(), level.toUpperCase().padEnd(5), message, ...fields].join(' ');
}

/** Once stderr is gone (its reader closed the pipe), logging goes quiet instead of failing on every line. */
let stderrClosed = false;
export function markStderrClosed(): void {
  stderrClosed = true;
}

function writeToStderr(line: string): void {
  if (!stderrClosed && !process.stderr.destroyed) process.stderr.write(`${line}\n`);
}

/** Writes to stderr so that stdout stays free for answers (the console and `--json` use it). */
export function createLogger(minimum: LogLevel = 'info', write: (line: string) => void = writeToStderr): Logger {
  const emit = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (ORDER[level] >= ORDER[minimum]) write(formatLogLine(level, message, context));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
