import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Agency } from '../../domain/identity/roles';
import type { TaskStatus, TaskType } from '../../domain/tasks/task-types';

/** The inbox: one row per human task, projected by the task workflow's activities. */
@Entity('task')
@Index(['agency', 'status', 'type'])
export class TaskEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  @Column('text') type: TaskType;
  @Column('text') agency: Agency;
  @Column('text') status: TaskStatus;
  @Column('text', { nullable: true }) assignee: string | null;
  @Column('jsonb', { default: {} }) form: Record<string, unknown>;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('timestamptz', { name: 'reminder_at' }) reminderAt: Date;
  @Column('timestamptz', { name: 'reminded_at', nullable: true }) remindedAt: Date | null;
  @Column('boolean', { default: false }) escalated: boolean;
  @Column('text', { nullable: true }) decision: string | null;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('jsonb', { default: [] }) conditions: string[];
  @Column('jsonb', { default: {} }) data: Record<string, unknown>;
  @Column('text', { name: 'completed_by', nullable: true }) completedBy: string | null;
  /** What the decider saw when deciding (proposal version, screening, flags, other positions). */
  @Column('jsonb', { nullable: true }) evidence: Record<string, unknown> | null;
  @Column('text', { name: 'evidence_digest', nullable: true }) evidenceDigest: string | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
