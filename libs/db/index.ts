export * from './entities';
export * from './db.module';
export * from './migrate';
export * from './data-source';
export * from './repositories/proposal.repository';
export * from './repositories/user.repository';
