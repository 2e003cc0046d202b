import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Discord signs every interaction it POSTs: Ed25519 over the bytes of `X-Signature-Timestamp`
 * followed by the raw body, signature in `X-Signature-Ed25519` (hex). Checked on the raw bytes,
 * before anything is parsed; Discord itself sends bad signatures to check that they get a 401.
 */

/** SPKI DER header for an Ed25519 public key; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PUBLIC_KEY_HEX = /^[0-9a-fA-F]{64}$/;
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;
/** Unix seconds, as Discord sends them. */
const TIMESTAMP = /^\d{1,12}$/;

/** How far a request's timestamp may be from our clock: older is a replay, newer a forgery or a broken clock. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface VerifierOptions {
  maxAgeSeconds?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export type Verifier = (headers: IncomingHttpHeaders, rawBody: Buffer) => VerifyResult;

/** The KeyObject for a 64-hex-character public key from the Developer Portal. */
export function ed25519PublicKey(publicKeyHex: string): KeyObject {
  if (!PUBLIC_KEY_HEX.test(publicKeyHex))
    throw new Error('DISCORD_PUBLIC_KEY must be 64 hex characters (Developer Portal → General Information → Public Key).');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Builds the check once (the key is parsed here, not per request). */
export function createVerifier(publicKeyHex: string, options: VerifierOptions = {}): Verifier {
  const key = ed25519PublicKey(publicKeyHex);
  const maxAgeMs = (options.maxAgeSeconds ?? MAX_SIGNATURE_AGE_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  return (headers, rawBody) => {
    const signature = header(headers, 'x-signature-ed25519');
    const timestamp = header(headers, 'x-signature-timestamp');
    if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing signature headers' };
    if (!SIGNATURE_HEX.test(signature)) return { ok: false, reason: 'malformed signature' };
    if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
    if (Math.abs(now() - Number(timestamp) * 1000) > maxAgeMs) return { ok: false, reason: 'timestamp outside the allowed window' };
    const signed = Buffer.allocUnsafe(timestamp.length + rawBody.length);
    signed.write(timestamp, 0, 'latin1');
    rawBody.copy(signed, timestamp.length);
    let valid = false;
    try {
      valid = verify(null, signed, key, Buffer.from(signature, 'hex'));
    } catch {
      valid = false;
    }
    return valid ? { ok: true } : { ok: false, reason: 'bad signature' };
  };
}
