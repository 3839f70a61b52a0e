/** The watcher's deadline store lives with the other queries, in src/db/repositories/deadline-store.ts. */
export * from '../db/repositories/deadline-store.js';
