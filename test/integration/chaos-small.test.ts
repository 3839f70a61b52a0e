import { appendFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runChaos } from '../support/chaos.js';

/** The crash suite at CI size (the full one: `npm run test:chaos`). */
it('60 events (VK comments and messages, Telegram discussion comments) and their approvals survive SIGKILLs at random moments', async () => {
  const r = await runChaos({ events: 60, seed: 60, upMs: [500, 1_500], approveShare: 0.8, pushMax: 1, killDuringStart: 0.25 });
  console.log(r.summary);
  if (process.env.CHAOS_SUMMARY_FILE) appendFileSync(process.env.CHAOS_SUMMARY_FILE, `${new Date().toISOString()} ${r.summary}\n`);
  expect(r.kills).toBeGreaterThanOrEqual(3);
  expect(r.report.lost).toEqual([]);
  expect(r.report.duplicateMessages).toEqual([]);
  expect(r.report.storedMessages).toBe(60);
  expect(r.report.duplicatePublications).toBe(0);
  expect(r.report.publicationProblems).toEqual([]);
  expect(r.report.approved).toBeGreaterThan(20);
  expect(r.report.deadlineProblems).toEqual([]);
  expect(r.report.replayMismatches).toEqual([]);
  expect(r.report.outboxFailed).toEqual([]);
  // Exactly once in Telegram, except a send a kill caught after Telegram executed it (no idempotency key there).
  expect(r.report.duplicateCards.length + r.report.duplicateNotices.length + r.report.telegramDuplicateAnswers.length).toBeLessThanOrEqual(r.interruptedSends);
  expect(r.leakedLines).toEqual([]);
}, 300_000);
