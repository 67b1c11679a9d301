import { sign, signatureHeader, verifySignature } from '../../../libs/adapters/webhook-signature';

const NEW = 'new-webhook-secret-0123456789abcdef0123';
const OLD = 'old-webhook-secret-0123456789abcdef0123';
const OTHER = 'some-other-secret-0123456789abcdef01234';
const BODY = '{"taskId":"t-1","decision":"CONCUR"}';
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const TS = Math.floor(NOW / 1000);

/** Signatures both ways, with the rotation overlap (docs/runbook.md section 3). */
describe('webhook signatures', () => {
  it('signs under one secret as one entry, and during a rotation under each secret, current first', () => {
    expect(signatureHeader([NEW], TS, BODY)).toBe(sign(NEW, TS, BODY));
    expect(signatureHeader([NEW, OLD], TS, BODY)).toBe(`${sign(NEW, TS, BODY)}, ${sign(OLD, TS, BODY)}`);
    expect(sign(NEW, TS, BODY)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('accepts a request signed under the current or the previous secret, answering its signature under both', () => {
    const signatures = [sign(NEW, TS, BODY), sign(OLD, TS, BODY)];
    for (const secret of [NEW, OLD])
      expect(verifySignature([NEW, OLD], BODY, sign(secret, TS, BODY), String(TS), NOW)).toEqual({ valid: true, signatures });
  });

  it('lets a receiver holding either secret verify a delivery signed during the overlap', () => {
    const header = signatureHeader([NEW, OLD], TS, BODY);
    expect(verifySignature([OLD], BODY, header, String(TS), NOW)).toEqual({ valid: true, signatures: [sign(OLD, TS, BODY)] });
    expect(verifySignature([NEW], BODY, header, String(TS), NOW)).toEqual({ valid: true, signatures: [sign(NEW, TS, BODY)] });
    expect(verifySignature([OTHER], BODY, header, String(TS), NOW)).toEqual({ valid: false, reason: 'Signature does not match' });
  });

  it('refuses an unknown secret, a tampered body, a stale timestamp and a missing header', () => {
    expect(verifySignature([NEW, OLD], BODY, sign(OTHER, TS, BODY), String(TS), NOW)).toEqual({
      valid: false,
      reason: 'Signature does not match',
    });
    expect(verifySignature([NEW], BODY.replace('CONCUR', 'NON_CONCUR'), sign(NEW, TS, BODY), String(TS), NOW).valid).toBe(false);
    expect(verifySignature([NEW], BODY, sign(NEW, TS - 301, BODY), String(TS - 301), NOW)).toEqual({
      valid: false,
      reason: 'Timestamp outside the 300s window',
    });
    expect(verifySignature([NEW], BODY, undefined, String(TS), NOW)).toEqual({ valid: false, reason: 'Missing signature or timestamp' });
    expect(verifySignature([NEW], BODY, sign(NEW, TS, BODY), 'soon', NOW).valid).toBe(false);
  });

  it('bounds the entries it reads and copes with entries of any length or alphabet', () => {
    const valid = sign(NEW, TS, BODY);
    expect(verifySignature([NEW], BODY, [valid, 'sha256=é', 'x', 'y', 'z'].join(','), String(TS), NOW)).toEqual({
      valid: false,
      reason: 'More than 4 signatures',
    });
    expect(verifySignature([NEW], BODY, `sha256=${'é'.repeat(64)}, ${valid}`, String(TS), NOW).valid).toBe(true);
  });
});
