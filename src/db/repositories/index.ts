export * from './case-store.js';
export * from './runner.js';
export * from './join.js';
