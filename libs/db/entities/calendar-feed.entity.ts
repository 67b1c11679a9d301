import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user's secret calendar feed URL; the secret itself is never stored, only its SHA-256 (hex). */
@Entity('calendar_feed')
@Index('idx_calendar_feed_active_user', ['userId'], { unique: true, where: 'revoked_at IS NULL' })
export class CalendarFeedEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('char', { name: 'secret_hash', length: 64, unique: true }) secretHash: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
