export * from './case-store.js';
export * from './runner.js';
