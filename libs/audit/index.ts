export * from './audit-hash';
export * from './audit.service';
export * from './audit.module';
