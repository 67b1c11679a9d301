import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProposalEntity } from './proposal.entity';

export type FinancingStatus = 'PENDING' | 'COMMITTED' | 'DECLINED';

/** One EDAG financing referral per FINANCING_REVIEW task (EO 14320 sec. 4(d)). Amounts are numeric (text from the driver). */
@Entity('financing_referral')
@Index('idx_financing_referral_proposal', ['proposalId', 'createdAt'])
export class FinancingReferralEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  @ManyToOne(() => ProposalEntity, { nullable: false })
  @JoinColumn({ name: 'proposal_id', foreignKeyConstraintName: 'financing_referral_proposal_id_fkey' })
  proposal?: ProposalEntity;
  @Column('text', { name: 'instrument_id' }) instrumentId: string;
  @Column('text') agency: string;
  @Column('numeric', { name: 'amount_requested', nullable: true }) amountRequested: string | null;
  @Column('numeric', { name: 'amount_assigned', nullable: true }) amountAssigned: string | null;
  @Column('numeric', { name: 'amount_committed', nullable: true }) amountCommitted: string | null;
  @Column('text') status: FinancingStatus;
  @Column('text', { nullable: true }) terms: string | null;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('text', { name: 'target_markets', array: true, default: () => "'{}'" }) targetMarkets: string[];
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
