#!/usr/bin/env node
// Launcher: runs the TypeScript sources through tsx so `npx otklik …` and `npm start` work
// right after `npm ci`, with no build step to remember.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
