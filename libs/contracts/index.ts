export * from './intake';
export * from './search-attributes';
