/** Conversation state lives with the other queries, in src/db/repositories/conversations.ts. */
export * from '../../db/repositories/conversations.js';
