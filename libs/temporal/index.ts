export * from './connection';
export * from './temporal-client.module';
export * from './start-once';
