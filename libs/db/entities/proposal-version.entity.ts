import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One submitted or amended version of a proposal, kept unchanged (docs/spec.md section 2.4b). */
@Entity('proposal_version')
export class ProposalVersionEntity {
  @PrimaryColumn('uuid', { name: 'proposal_id' }) proposalId: string;
  /** 1 as filed, +1 per amendment (the proposal's `version` when this one was stored). */
  @PrimaryColumn('int') version: number;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('text', { name: 'submitted_by' }) submittedBy: string;
  /** The request body as the applicant sent it: the whole submission for version 1, the sections replaced for an amendment. */
  @Column('jsonb') body: Record<string, unknown>;
}
