import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';

/** A program establishment plan (EO 14320 sec. 3(a)); creation is idempotent by name. */
@Entity('program')
export class ProgramEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  /** date: the driver hands it back as YYYY-MM-DD text. */
  @Column('date', { name: 'start_date' }) startDate: string;
  @Column('int', { name: 'deadline_days' }) deadlineDays: number;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

/** One milestone of a plan, due `dueDay` calendar days after the plan's start. */
@Entity('milestone')
@Unique('milestone_program_id_key_key', ['programId', 'key'])
export class MilestoneEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'program_id' }) programId: string;
  @ManyToOne(() => ProgramEntity, { nullable: false })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'milestone_program_id_fkey' })
  program?: ProgramEntity;
  @Column('text') key: string;
  @Column('int') position: number;
  @Column('text') title: string;
  @Column('text', { name: 'owner_agency' }) ownerAgency: string;
  @Column('int', { name: 'due_day' }) dueDay: number;
  @Column('text', { name: 'eo_ref', nullable: true }) eoRef: string | null;
  @Column('text', { name: 'depends_on', array: true, default: () => "'{}'" }) dependsOn: string[];
  @Column('timestamptz', { name: 'reminded_at', nullable: true }) remindedAt: Date | null;
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('text', { name: 'completed_by', nullable: true }) completedBy: string | null;
  @Column('jsonb', { nullable: true }) evidence: { text: string; link?: string | null; documentIds?: string[] } | null;
}

/** A call for proposals of a plan (EO 14320 sec. 3(b)-(c)); at most one governs intake at a time. */
@Entity('call_for_proposals')
@Index('uq_call_governing', ['governsIntake'], { unique: true, where: 'governs_intake' })
export class CallForProposalsEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'program_id' }) programId: string;
  @ManyToOne(() => ProgramEntity, { nullable: false })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'call_for_proposals_program_id_fkey' })
  program?: ProgramEntity;
  @Column('text') title: string;
  @Column('date', { name: 'open_date' }) openDate: string;
  @Column('date', { name: 'close_date' }) closeDate: string;
  @Column('boolean', { name: 'governs_intake', default: false }) governsIntake: boolean;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
