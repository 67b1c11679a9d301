export * from './intake';
export * from './search-attributes';
export * from './tasks';
export * from './financing';
export * from './program';
export * from './screening';
