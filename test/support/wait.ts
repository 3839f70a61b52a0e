// Moved to src/sandbox/emulators: one implementation for the sandbox and the tests.
export * from '../../src/sandbox/emulators/wait.js';
