import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One append-only audit event (docs/spec.md section 4); a database trigger rejects UPDATE, DELETE and
 * TRUNCATE. Written only through libs/audit. The sealer chains it later (AuditChainEntity); only events
 * from before sealing carry an inline hash.
 */
@Entity('audit_event')
@Index('idx_audit_event_subject', ['subjectType', 'subjectId'])
@Index('uq_audit_event_prev_hash', ['prevHash'], { unique: true })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Index('idx_audit_event_at') @Column('timestamptz') at: Date;
  @Column('text') actor: string;
  @Column('text', { nullable: true }) role: string | null;
  @Column('text', { nullable: true }) agency: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('text', { name: 'subject_id', nullable: true }) subjectId: string | null;
  @Column('jsonb', { nullable: true }) before: unknown;
  @Column('jsonb', { nullable: true }) after: unknown;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash: string | null;
  @Column('text', { nullable: true }) hash: string | null;
}
