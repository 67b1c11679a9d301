import { ProposalEntity } from './proposal.entity';
import { ProposalEventEntity } from './proposal-event.entity';

export { ProposalEntity, ProposalEventEntity };
export const ENTITIES = [ProposalEntity, ProposalEventEntity];
