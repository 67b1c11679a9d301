import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks both ways: `X-Exports-Desk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * and `X-Exports-Desk-Timestamp: <unix seconds>`. The timestamp is inside the MAC, so a captured
 * request cannot be replayed outside the tolerance window (and inside it, the signature is
 * remembered and refused a second time).
 *
 * During a secret rotation the header is a comma-separated list (an HTTP list, RFC 9110 section
 * 5.6.1), one signature per secret, current first: `sha256=<under new>, sha256=<under old>`. A
 * receiver accepts the request when any entry matches any secret it holds, so each side may switch
 * at its own time.
 */
export const SIGNATURE_HEADER = 'x-exports-desk-signature';
export const TIMESTAMP_HEADER = 'x-exports-desk-timestamp';
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Entries read from one header: a rotation needs two; more is not a sender of ours. */
const MAX_SIGNATURES = 4;

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The header value under each secret (current first). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => sign(secret, timestamp, body)).join(', ');
}

/**
 * Valid: the request's signature under each accepted secret, current first, whichever the sender
 * used (what a replay check must remember, so that a replay re-signed or stripped to the other
 * secret's entry is still recognised).
 */
export type SignatureVerdict = { valid: true; signatures: string[] } | { valid: false; reason: string };

export function verifySignature(
  secrets: readonly string[],
  body: string,
  header: string | undefined,
  timestamp: string | undefined,
  now = Date.now(),
): SignatureVerdict {
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'Missing signature or timestamp' };
  const age = Math.abs(now / 1000 - Number(timestamp));
  if (age > SIGNATURE_TOLERANCE_SECONDS) return { valid: false, reason: `Timestamp outside the ${SIGNATURE_TOLERANCE_SECONDS}s window` };
  const received = header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (received.length > MAX_SIGNATURES) return { valid: false, reason: `More than ${MAX_SIGNATURES} signatures` };
  const expected = secrets.map((secret) => sign(secret, Number(timestamp), body));
  if (!expected.some((mine) => received.some((theirs) => sameBytes(mine, theirs))))
    return { valid: false, reason: 'Signature does not match' };
  return { valid: true, signatures: expected };
}

function sameBytes(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
