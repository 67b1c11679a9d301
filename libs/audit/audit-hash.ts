import { createHash } from 'node:crypto';

/** The prevHash of the first link: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: everything it says, but not its id, so identity gaps from rolled-back appends are harmless. */
export interface AuditContent {
  at: Date;
  actor: string;
  role: string | null;
  agency: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
}

/** A stored event as the verifier sees it; only events chained before sealing carry inline hashes. */
export interface AuditChainRow extends AuditContent {
  id: string;
  prevHash: string | null;
  hash: string | null;
}

/**
 * JSON with object keys sorted at every level, so the text (and the hash) does not depend on key
 * order: jsonb hands keys back in its own order. Otherwise identical to JSON.stringify, including
 * toJSON (a Date becomes its ISO string) and dropping undefined object members.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 (hex) over the previous link's hash and this event's canonical content. */
export function hashEvent(prevHash: string, content: AuditContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(contentOf(content)))
    .digest('hex');
}

/** Only the hashed fields, whatever else the row object carries (id, hashes, ORM extras). */
function contentOf(row: AuditContent): AuditContent {
  const { at, actor, role, agency, action, subjectType, subjectId, before, after, reason, requestId } = row;
  return { at, actor, role, agency, action, subjectType, subjectId, before, after, reason, requestId };
}
