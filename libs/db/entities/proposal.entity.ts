import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProposalStatus } from '../../domain/intake/proposal-status';

/** One designation benefit's referral: its task and, once decided, the outcome. */
export interface BenefitReferral {
  status: string;
  taskId: string;
  decision?: string | null;
  comment?: string | null;
  decidedBy?: string | null;
  decidedAt?: string | null;
}

/** Read model of a proposal: the submission as filed plus the state its workflow projected. */
@Entity('proposal')
export class ProposalEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') title: string;
  @Index() @Column('text') status: ProposalStatus;
  /** The submitting applicant's organisation: the unit of applicant isolation (docs/spec.md section 1). */
  @Column('text') organisation: string;
  @Column('text', { name: 'submitted_by' }) submittedBy: string;
  @Column('jsonb') submission: Record<string, unknown>;
  /** Submission version: 1 as filed, +1 per amendment. */
  @Column('int', { default: 1 }) version: number;
  @Column('jsonb', { default: [] }) deficiencies: { code: string; message: string; eoRef: string }[];
  @Column('jsonb') eligibility: { eligible: boolean | null; reasons: { code: string; message: string }[]; countryGroupsVersion?: string };
  @Column('jsonb', { default: [] }) flags: { code: string; message: string }[];
  @Column('jsonb') screening: {
    status: string;
    matches: unknown[];
    listVersion?: unknown;
    /** The adjudicator's decision on possible matches (SCREENING_ADJUDICATION). */
    adjudication?: { decision: string; decidedBy: string | null; comment: string | null };
    /** The latest re-screening that found new matches: the hold and, once decided, its adjudication (docs/spec.md section 2.4a). */
    rescreen?: {
      listVersionId: string;
      matches: unknown[];
      at: string;
      adjudication?: { decision: string; decidedBy: string | null; comment: string | null };
    };
  };
  @Column('jsonb', { name: 'sba_referral' }) sbaReferral: {
    status: string;
    members: unknown[];
    taskId?: string;
    decision?: string | null;
    comment?: string | null;
    /** Size figures the applicant supplied per member when asked (docs/spec.md section 2.4). */
    supplied?: Record<string, unknown>;
    /** The request for size information lapsed unanswered; `reason` says so. */
    lapsed?: boolean;
    reason?: string;
  };
  /** While RETURNED_FOR_INFORMATION: when the amendment window closes; null otherwise. */
  @Column('timestamptz', { name: 'amend_by', nullable: true }) amendBy: Date | null;
  /** Designation benefits (docs/spec.md section 2.3a): each referral's outcome, null when not referred. */
  @Column('jsonb', { default: { advocacy: null, licensing: null } }) benefits: Record<'advocacy' | 'licensing', BenefitReferral | null>;
  /** Set when a re-screening's confirmed match revoked the designation (docs/spec.md section 2.4a). */
  @Column('jsonb', { name: 'designation_revocation', nullable: true }) designationRevocation: {
    revokedAt: string;
    revokedReason: string;
    revokedBy: string | null;
    listVersionId: string;
  } | null;
  /** The call for proposals the submission answers, when one governs intake (EO 14320 sec. 3(c)). */
  @Column('uuid', { name: 'call_id', nullable: true }) callId: string | null;
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey: string | null;
  @Column('text', { name: 'request_digest', nullable: true }) requestDigest: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
