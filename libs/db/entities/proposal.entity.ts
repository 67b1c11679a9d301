import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProposalStatus } from '../../domain/intake/proposal-status';

/** Read model of a proposal: the submission as filed plus the state its workflow projected. */
@Entity('proposal')
export class ProposalEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') title: string;
  @Index() @Column('text') status: ProposalStatus;
  /** The submitting applicant's organisation: the unit of applicant isolation (SPEC section 1). */
  @Column('text') organisation: string;
  @Column('text', { name: 'submitted_by' }) submittedBy: string;
  @Column('jsonb') submission: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
