import { AuditChainRow, AuditContent, canonicalJson, GENESIS_HASH, hashEvent, verifyChain } from '../../../libs/audit/audit-hash';

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

/** A valid chain as the repository would store it: ids 1..count, each linked to the one before. */
function chain(count: number): AuditChainRow[] {
  const rows: AuditChainRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let n = 1; n <= count; n++) {
    const c = content(n);
    const hash = hashEvent(prevHash, c);
    rows.push({ ...c, id: String(n), prevHash, hash });
    prevHash = hash;
  }
  return rows;
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

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(5))).toEqual({ valid: true, events: 5 });
    expect(verifyChain([])).toEqual({ valid: true, events: 0 });
  });

  it('detects a changed field at that row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], reason: 'edited later' };
    expect(verifyChain(rows)).toEqual({ valid: false, events: 5, firstBrokenAt: '3' });
  });

  it('detects a changed jsonb value', () => {
    const rows = chain(5);
    rows[1] = { ...rows[1], after: { status: 'COMPLETED', decision: { position: 'NON_CONCUR', conditions: ['c1', 'c2'] } } };
    expect(verifyChain(rows)).toMatchObject({ valid: false, firstBrokenAt: '2' });
  });

  it('detects a deleted row at the row after it', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toEqual({ valid: false, events: 4, firstBrokenAt: '3' });
  });

  it('detects a deleted first row', () => {
    expect(verifyChain(chain(3).slice(1))).toMatchObject({ valid: false, firstBrokenAt: '2' });
  });

  it('detects reordered rows at the first one out of place', () => {
    const rows = chain(5);
    [rows[1], rows[3]] = [rows[3], rows[1]];
    expect(verifyChain(rows)).toEqual({ valid: false, events: 5, firstBrokenAt: '4' });
  });

  it('detects a row whose hash was recomputed after an edit, at the row that follows it', () => {
    const rows = chain(4);
    const edited = { ...rows[1], actor: 'someone.else' };
    rows[1] = { ...edited, hash: hashEvent(edited.prevHash, edited) };
    expect(verifyChain(rows)).toMatchObject({ valid: false, firstBrokenAt: '3' });
  });
});
