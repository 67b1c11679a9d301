import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a proposal's timeline. event_key makes projections from retried activities idempotent. */
@Entity('proposal_event')
@Index(['proposalId', 'eventKey'], { unique: true })
export class ProposalEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  @Column('text', { name: 'event_key' }) eventKey: string;
  @Column('timestamptz') at: Date;
  @Column('text') action: string;
  @Column('text') actor: string;
  @Column('jsonb', { default: {} }) detail: Record<string, unknown>;
}
