/**
 * The one way an error becomes text: its message for people and log lines, or with its stack for
 * the log of an unexpected failure. Anything thrown (not only Errors) is described.
 */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  if (error instanceof Error) return options.stack && error.stack ? error.stack : error.message;
  return String(error);
}
