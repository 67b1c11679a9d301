export * from './csl-csv';
export * from './normalize';
export * from './name-match';
export * from './screening-index';
