import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Plain HTTP for the interactions endpoint: reading a bounded body, writing responses, knowing
 * when a response reached the socket, and the two small memories a public endpoint needs (which
 * interaction ids it has handled, how much it has logged about each address).
 */

export class BodyTooLarge extends Error {}
/** The client hung up before sending its whole body: nothing to answer, nothing wrong with us. */
export class ClientGone extends Error {}

/**
 * Interaction ids already handled, kept for as long as a signature stays valid: a replayed
 * request (same id, within the window) is refused instead of being handled again.
 */
export class SeenInteractions {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly keepMs: number,
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** True the first time an id is offered; false after. */
  firstTime(id: string): boolean {
    const now = this.now();
    for (const [seenId, until] of this.seen) {
      if (until > now && this.seen.size < this.limit) break;
      this.seen.delete(seenId);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + this.keepMs);
    return true;
  }
}

/** Anyone can send requests that get refused: each address gets a few log lines a minute, then one summary. */
export class LogThrottle {
  private readonly counts = new Map<string, { windowStart: number; count: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** 'log' within the budget, 'summarise' when it is just spent, 'drop' after. */
  check(address: string): 'log' | 'summarise' | 'drop' {
    const now = this.now();
    let entry = this.counts.get(address);
    if (!entry || now - entry.windowStart >= 60_000) {
      if (this.counts.size > 10_000) this.counts.clear();
      entry = { windowStart: now, count: 0 };
      this.counts.set(address, entry);
    }
    entry.count++;
    if (entry.count <= this.perMinute) return 'log';
    return entry.count === this.perMinute + 1 ? 'summarise' : 'drop';
  }
}

export const REJECTED_LOG_LINES_PER_MINUTE = 10;
export const SEEN_INTERACTIONS_LIMIT = 50_000;

/** The raw body, up to `limit` bytes; past it, stops reading and throws BodyTooLarge. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(new BodyTooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onClose = () => done(new ClientGone('the client closed the connection before the body ended'));
    // Node reports a connection dropped mid-body as an "aborted" error (ECONNRESET).
    const onError = (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNRESET' || error.message === 'aborted' ? new ClientGone(error.message) : error);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

export function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, JSON.stringify(body), 'application/json');
export const sendText = (res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void =>
  send(res, status, `${text}\n`, 'text/plain; charset=utf-8', headers);

/** Resolves true once the response has been handed to the socket, false if the connection went first. */
export function flushed(res: ServerResponse): Promise<boolean> {
  if (res.writableFinished) return Promise.resolve(true);
  return new Promise((resolve) => {
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}
