import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProposalEntity } from './proposal.entity';
import { TaskEntity } from './task.entity';

/** A reviewer's question to the applicant; while it is unanswered its task's SLA clock is stopped. */
@Entity('information_request')
@Index('idx_information_request_proposal', ['proposalId', 'askedAt'])
export class InformationRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  @ManyToOne(() => ProposalEntity, { nullable: false })
  @JoinColumn({ name: 'proposal_id', foreignKeyConstraintName: 'information_request_proposal_id_fkey' })
  proposal?: ProposalEntity;
  /** Null for a request no agency task asked (SBA's size information, `kind` SBA_SIZE). */
  @Column('uuid', { name: 'task_id', nullable: true }) taskId: string | null;
  @ManyToOne(() => TaskEntity, { nullable: true })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'information_request_task_id_fkey' })
  task?: TaskEntity;
  @Column('text') agency: string;
  @Column('text') question: string;
  @Column('text', { name: 'asked_by' }) askedBy: string;
  @Column('timestamptz', { name: 'asked_at', default: () => 'now()' }) askedAt: Date;
  @Column('text', { nullable: true }) answer: string | null;
  @Column('text', { name: 'answered_by', nullable: true }) answeredBy: string | null;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt: Date | null;
  /** bigint: the driver hands it back as text. */
  @Column('bigint', { name: 'paused_ms', nullable: true }) pausedMs: string | null;
  /** Documents of the same proposal the answer cites. */
  @Column('jsonb', { name: 'document_ids', default: [] }) documentIds: string[];
  @Column('text', { default: 'AGENCY_TASK' }) kind: 'AGENCY_TASK' | 'SBA_SIZE';
  /** What a structured request asks, e.g. per member the size fields missing. */
  @Column('jsonb', { nullable: true }) asked: Record<string, unknown> | null;
  @Column('jsonb', { name: 'answer_data', nullable: true }) answerData: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('timestamptz', { name: 'lapsed_at', nullable: true }) lapsedAt: Date | null;
}
