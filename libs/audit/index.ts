export * from './audit-hash';
export * from './audit-seal';
export * from './audit-sealer';
export * from './audit.service';
export * from './audit.module';
