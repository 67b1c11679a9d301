import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks both ways: `X-Exports-Desk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * and `X-Exports-Desk-Timestamp: <unix seconds>`. The timestamp is inside the MAC, so a captured
 * request cannot be replayed outside the tolerance window (and inside it, the signature is
 * remembered and refused a second time).
 */
export const SIGNATURE_HEADER = 'x-exports-desk-signature';
export const TIMESTAMP_HEADER = 'x-exports-desk-timestamp';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

export function verifySignature(
  secret: string,
  body: string,
  signature: string | undefined,
  timestamp: string | undefined,
  now = Date.now(),
): SignatureVerdict {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'Missing signature or timestamp' };
  const age = Math.abs(now / 1000 - Number(timestamp));
  if (age > SIGNATURE_TOLERANCE_SECONDS) return { valid: false, reason: `Timestamp outside the ${SIGNATURE_TOLERANCE_SECONDS}s window` };
  const expected = Buffer.from(sign(secret, Number(timestamp), body));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { valid: false, reason: 'Signature does not match' };
  return { valid: true };
}
