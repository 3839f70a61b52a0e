// Every table of the service. drizzle-kit reads src/db/schema/*.ts; the app imports this index.
export * from './org.js';
export * from './outbox.js';
export * from './system.js';
export * from './sources.js';
export * from './scheduler.js';
export * from './conversation.js';
export * from './bot.js';
export * from './cases.js';
export * from './max.js';
