export * from './connection';
export * from './temporal-client.module';
