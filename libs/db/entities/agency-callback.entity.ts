import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Agency } from '../../domain/identity/roles';

/** The signature of an accepted agency callback: a replayed callback finds its row and is refused. */
@Entity('agency_callback')
export class AgencyCallbackEntity {
  @PrimaryColumn('text') signature: string;
  @Column('text') agency: Agency;
  @Column('uuid', { name: 'task_id' }) taskId: string;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt: Date;
}
