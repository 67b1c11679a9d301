import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditEventFilter, AuditEventRow, AuditRepository, NewAuditEvent, Transaction } from '../db';
import { AuditContent } from './audit-hash';
import { ChainVerdict, SealedChainVerifier, VerifyingKeys } from './audit-seal';

/** Nest token of the sealing public keys (VerifyingKeys) that checkpoints are verified with. */
export const AUDIT_VERIFYING_KEYS = Symbol('AUDIT_VERIFYING_KEYS');

export interface AuditEventInput {
  actor: string;
  role?: string | null;
  agency?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
}

/** An event as stored and shown: its content (time as ISO text). Its chain link is the sealer's (audit_chain). */
export interface AuditEventView extends Omit<AuditContent, 'at'> {
  id: string;
  at: string;
}

export interface AuditListFilter extends AuditEventFilter {
  page: number;
  pageSize: number;
}

export interface AuditPage {
  items: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

/** The append-only, hash-chained audit trail (docs/spec.md section 4). */
@Injectable()
export class AuditService {
  /** A checkpoint whose key is not among `verifyingKeys` (none by default) makes the trail invalid. */
  constructor(
    private readonly repository: AuditRepository,
    @Optional() @Inject(AUDIT_VERIFYING_KEYS) private readonly verifyingKeys: VerifyingKeys = new Map(),
  ) {}

  /**
   * Appends one event, to be sealed into the chain shortly after it commits; pass the caller's
   * transaction (from UnitOfWork.run) to commit or roll back with it. An inactive one is refused.
   */
  async record(event: AuditEventInput, tx?: Transaction): Promise<AuditEventView> {
    return toView(await this.repository.append(toNewEvent(event), tx));
  }

  async list({ page, pageSize, ...filter }: AuditListFilter): Promise<AuditPage> {
    const { rows, total } = await this.repository.findPage(filter, page, pageSize);
    return { items: rows.map(toView), total, page, pageSize };
  }

  /** Checks the sealed chain and its signed checkpoints, and reports the unsealed backlog. */
  async verify(): Promise<ChainVerdict> {
    const verifier = new SealedChainVerifier(this.verifyingKeys);
    const counts = await this.repository.scanChain({ link: (l) => verifier.addLink(l), checkpoint: (c) => verifier.addCheckpoint(c) });
    return verifier.verdict(counts);
  }
}

function toNewEvent(input: AuditEventInput): NewAuditEvent {
  return {
    actor: input.actor,
    role: input.role ?? null,
    agency: input.agency ?? null,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    before: asStoredJson(input.before),
    after: asStoredJson(input.after),
    reason: input.reason ?? null,
    requestId: input.requestId ?? null,
  };
}

/**
 * The value exactly as jsonb will hand it back (toJSON applied, undefined members dropped), so the
 * hash computed now matches the one recomputed from the stored row. Absent becomes SQL NULL.
 */
function asStoredJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function toView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    role: row.role,
    agency: row.agency,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    before: row.before,
    after: row.after,
    reason: row.reason,
    requestId: row.requestId,
  };
}
