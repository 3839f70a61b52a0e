import { appendFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runChaos } from '../support/chaos.js';

const events = Number(process.env.CHAOS_EVENTS ?? 500);
const seed = Number(process.env.CHAOS_SEED ?? 2026);

it(`${events} events (VK comments and private messages, Telegram discussion comments) and their approvals survive SIGKILLs at random moments`, async () => {
  const r = await runChaos({ events, seed, log: (l) => console.log(l) });
  console.log(r.summary);
  if (process.env.CHAOS_SUMMARY_FILE) appendFileSync(process.env.CHAOS_SUMMARY_FILE, `${new Date().toISOString()} ${r.summary}\n`);
  expect(r.kills).toBeGreaterThanOrEqual(Math.min(20, Math.floor(events / 25)));
  expect(r.report.lost).toEqual([]);
  expect(r.report.duplicateMessages).toEqual([]);
  expect(r.report.storedMessages).toBe(events);
  expect(r.report.duplicatePublications).toBe(0);
  expect(r.report.publicationProblems).toEqual([]);
  expect(r.report.approved).toBeGreaterThan(events * 0.3);
  expect(r.report.deadlineProblems).toEqual([]);
  expect(r.report.replayMismatches).toEqual([]);
  expect(r.report.outboxFailed).toEqual([]);
  // Every kind of source answered, and every card and notice reached its person exactly once.
  expect(r.report.answersBy.message).toBeGreaterThan(0);
  expect(r.report.answersBy.telegram).toBeGreaterThan(0);
  // Exactly once in Telegram, except a send a kill caught after Telegram executed it (no idempotency key there).
  expect(r.report.duplicateCards.length + r.report.duplicateNotices.length + r.report.telegramDuplicateAnswers.length).toBeLessThanOrEqual(r.interruptedSends);
  expect(r.leakedLines).toEqual([]);
});
