import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Agency, Role } from '../../domain/identity/roles';

@Entity('app_user')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) username: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  /** The applicant's consortium; null for government staff. */
  @Column('text', { nullable: true }) organisation: string | null;
  @Column('text', { nullable: true }) agency: Agency | null;
  /** Where notifications go when SMTP is configured. */
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { array: true }) roles: Role[];
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('boolean', { default: false }) disabled: boolean;
  @Column('int', { name: 'failed_logins', default: 0 }) failedLogins: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
