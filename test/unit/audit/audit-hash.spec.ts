import { AuditContent, canonicalJson, GENESIS_HASH, hashEvent } from '../../../libs/audit/audit-hash';

function content(n: number): AuditContent {
  return {
    at: new Date(Date.UTC(2026, 0, 5, 12, 0, n, 123)),
    actor: 'commerce.reviewer',
    role: 'REVIEWER',
    agency: 'COMMERCE',
    action: 'TASK_COMPLETED',
    subjectType: 'task',
    subjectId: `task-${n}`,
    before: { status: 'CLAIMED', assignee: 'commerce.reviewer' },
    after: { status: 'COMPLETED', decision: { position: 'CONCUR', conditions: ['c1', 'c2'] } },
    reason: null,
    requestId: `req-${n}`,
  };
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":null,"q":true}]},"b":1}');
  });

  it('keeps array order, writes dates as ISO strings and drops undefined members like JSON does', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ at: new Date('2026-01-05T12:00:00.123Z') })).toBe('{"at":"2026-01-05T12:00:00.123Z"}');
    expect(canonicalJson({ gone: undefined, list: [undefined] })).toBe('{"list":[null]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('matches the value read back from jsonb, whose key order differs', () => {
    const written = content(1);
    const readBack = { ...written, after: JSON.parse('{"decision":{"conditions":["c1","c2"],"position":"CONCUR"},"status":"COMPLETED"}') };
    expect(hashEvent(GENESIS_HASH, readBack)).toBe(hashEvent(GENESIS_HASH, written));
  });
});

describe('hashEvent', () => {
  it('is a SHA-256 hex digest that depends on the previous hash and every content field', () => {
    const base = hashEvent(GENESIS_HASH, content(1));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent('f'.repeat(64), content(1))).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...content(1), at: new Date(content(1).at.getTime() + 1) })).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, { ...content(1), reason: 'x' })).not.toBe(base);
  });

  it('ignores fields outside the content (id, stored hashes)', () => {
    const row = { ...content(1), id: '99', prevHash: 'anything', hash: 'anything' };
    expect(hashEvent(GENESIS_HASH, row)).toBe(hashEvent(GENESIS_HASH, content(1)));
  });
});
