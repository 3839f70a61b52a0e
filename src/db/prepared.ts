/** Prepared queries share the hot paths' per-connection cache (repositories/fast.ts). */
export { prepared } from './repositories/fast.js';
