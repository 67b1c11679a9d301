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
