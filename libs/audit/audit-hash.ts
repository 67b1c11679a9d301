import { createHash } from 'node:crypto';

/** The prevHash of the first event: there is nothing before it. */
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

/** A stored event as the verifier sees it, in chain (id) order. */
export interface AuditChainRow extends AuditContent {
  id: string;
  prevHash: string;
  hash: string;
}

export interface ChainVerdict {
  valid: boolean;
  events: number;
  /** Id of the first row whose hash or link to its predecessor does not check out. */
  firstBrokenAt?: string;
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

/** SHA-256 (hex) over the previous event's hash and this event's canonical content. */
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

/**
 * Checks rows one at a time, in id order, so a large trail can be streamed through in batches.
 * A row is broken when its prevHash is not the previous row's hash (a row was deleted or moved)
 * or its hash does not match its content (a field was changed).
 */
export class ChainVerifier {
  private expectedPrevHash = GENESIS_HASH;
  private events = 0;
  private firstBrokenAt?: string;

  add(row: AuditChainRow): void {
    this.events += 1;
    if (this.firstBrokenAt !== undefined) return; // only the first break is reported; later rows are just counted
    if (row.prevHash !== this.expectedPrevHash || row.hash !== hashEvent(row.prevHash, row)) {
      this.firstBrokenAt = row.id;
      return;
    }
    this.expectedPrevHash = row.hash;
  }

  verdict(): ChainVerdict {
    return this.firstBrokenAt === undefined
      ? { valid: true, events: this.events }
      : { valid: false, events: this.events, firstBrokenAt: this.firstBrokenAt };
  }
}

/** Verifies a whole chain held in memory; rows must be in id order. */
export function verifyChain(rows: Iterable<AuditChainRow>): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const row of rows) verifier.add(row);
  return verifier.verdict();
}
