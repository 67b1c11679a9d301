import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One sealed link of the audit hash chain: the event at this position, hashed after its predecessor. Append-only. */
@Entity('audit_chain')
export class AuditChainEntity {
  @PrimaryColumn('bigint') position: string;
  @Column('bigint', { name: 'event_id', unique: true }) eventId: string;
  @Column('text', { name: 'prev_hash' }) prevHash: string;
  @Column('text') hash: string;
}

/** A signed statement of the chain's head at a position (Ed25519, key held outside the database). Append-only. */
@Entity('audit_checkpoint')
export class AuditCheckpointEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('bigint', { name: 'last_position', unique: true }) lastPosition: string;
  @Column('text', { name: 'head_hash' }) headHash: string;
  @Column('timestamptz', { name: 'signed_at' }) signedAt: Date;
  @Column('text', { name: 'key_id' }) keyId: string;
  @Column('text') signature: string;
}
