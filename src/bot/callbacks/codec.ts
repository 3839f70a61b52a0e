// The callback-data format is shared by every adapter that sends a button (src/kernel/callback-data.ts).
export * from '../../kernel/callback-data.js';
