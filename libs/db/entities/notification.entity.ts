import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type NotificationKind =
  | 'TASK_ASSIGNED'
  | 'TASK_REASSIGNED'
  | 'REMINDER'
  | 'ESCALATION'
  | 'DECISION'
  | 'STATUS_CHANGE'
  | 'INFORMATION_REQUEST'
  | 'MILESTONE_REMINDER'
  | 'MILESTONE_OVERDUE';

/**
 * The notification outbox: a row is written in the transaction of the event it announces (once per
 * event key), claimed with a lease by the notifier and marked sent, or dead after its attempts are used up.
 */
@Entity('notification')
@Index('idx_notification_due', ['nextAttemptAt', 'id'], { where: 'sent_at IS NULL AND dead_at IS NULL' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('text', { name: 'event_key', unique: true }) eventKey: string;
  @Column('text') kind: NotificationKind;
  @Column('uuid', { name: 'proposal_id', nullable: true }) proposalId: string | null;
  @Column('uuid', { name: 'program_id', nullable: true }) programId: string | null;
  @Column('uuid', { name: 'task_id', nullable: true }) taskId: string | null;
  /** Everyone holding this role at this agency, or one named user. */
  @Column('text', { name: 'recipient_role', nullable: true }) recipientRole: string | null;
  @Column('text', { name: 'recipient_agency', nullable: true }) recipientAgency: string | null;
  @Column('text', { name: 'recipient_username', nullable: true }) recipientUsername: string | null;
  @Column('text') subject: string;
  @Column('text') body: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  /** Whom the notice reached when sent (the users its recipient named then): who was told, kept for oversight. */
  @Column('text', { name: 'delivered_to', array: true, nullable: true }) deliveredTo: string[] | null;
  @Column('int', { default: 0 }) attempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  /** Not claimed before this instant (backoff after a failed attempt). */
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' }) nextAttemptAt: Date;
  /** The claiming notifier's lease; a lapsed lease makes the row claimable again. */
  @Column('timestamptz', { name: 'claimed_until', nullable: true }) claimedUntil: Date | null;
  /** Dead-lettered: its attempts were used up; never sent. */
  @Column('timestamptz', { name: 'dead_at', nullable: true }) deadAt: Date | null;
}
