export * from './intake/proposal-status';
