import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One imported version of the Consolidated Screening List; exactly one is active. */
@Entity('screening_list')
export class ScreeningListEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') source: string;
  @Column('text') checksum: string;
  @Column('int', { name: 'entry_count' }) entryCount: number;
  @Column('timestamptz', { name: 'imported_at' }) importedAt: Date;
  @Column('boolean') active: boolean;
}

@Entity('screening_entry')
export class ScreeningEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'list_id' }) listId: string;
  @Column('text', { name: 'entry_id' }) entryId: string;
  @Column('text') source: string;
  @Column('text') type: string;
  @Column('text') name: string;
  @Column('text', { name: 'alt_names', array: true }) altNames: string[];
  @Column('text', { array: true }) programs: string[];
  @Column('text', { array: true }) countries: string[];
  @Column('text', { nullable: true }) remarks: string | null;
}

/** One screening of a proposal against one list version: at intake (per submission version) or a re-screening. */
@Entity('proposal_screening')
export class ProposalScreeningEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  @Column('uuid', { name: 'list_id' }) listId: string;
  @Column('text') kind: 'INTAKE' | 'RESCREEN';
  @Column('int', { name: 'submission_version' }) submissionVersion: number;
  @Column('text') status: string;
  @Column('jsonb') matches: unknown[];
  /** The matches nobody had adjudicated yet: what the re-screening's adjudication task shows. */
  @Column('jsonb', { name: 'new_matches' }) newMatches: unknown[];
  @Column('text', { nullable: true }) decision: string | null;
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('uuid', { name: 'task_id', nullable: true }) taskId: string | null;
  @Column('timestamptz') at: Date;
}

/** A list version's re-screening batch: its progress, written by the batch's page activities. */
@Entity('screening_rescreen')
export class ScreeningRescreenEntity {
  @PrimaryColumn('uuid', { name: 'list_id' }) listId: string;
  @Column('int') total: number;
  @Column('int') done: number;
  @Column('int', { name: 'new_matches' }) newMatches: number;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
