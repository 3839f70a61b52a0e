/** Importing the organization file is a set of upserts: src/db/repositories/org-sync.ts. */
export * from '../db/repositories/org-sync.js';
