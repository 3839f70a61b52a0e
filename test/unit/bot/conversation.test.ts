import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { endConversation, endConversationsForCase, getConversation, startConversation, updateConversation } from '../../../src/db/repositories/conversations.js';

const dirs: string[] = [];
const handles: DatabaseHandle[] = [];
function fileDb(dir = mkdtempSync(path.join(tmpdir(), 'otklik-conv-'))): { h: DatabaseHandle; dir: string } {
  dirs.push(dir);
  const h = openDatabase(path.join(dir, 'otklik.db'));
  handles.push(h);
  return { h, dir };
}
afterEach(() => {
  for (const h of handles.splice(0)) h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('conversation state', () => {
  it('starts, updates only its own kind, ends', () => {
    const { h } = fileDb();
    startConversation(h.db, { chatId: 7, staffId: 1, kind: 'draft', caseId: 3, data: { text: null, media: [] } }, 1000);
    expect(updateConversation(h.db, 7, 'return-reason', (d) => d)).toBeNull();
    const u = updateConversation<{ text: string | null; media: string[] }>(h.db, 7, 'draft', (d) => ({ ...d, media: [...d.media, 'f1'] }), 2000);
    expect(u?.data.media).toEqual(['f1']);
    expect(getConversation(h.db, 7)).toMatchObject({ kind: 'draft', caseId: 3, staffId: 1, updatedAt: 2000, data: { media: ['f1'] } });
    expect(endConversation(h.db, 7)?.kind).toBe('draft');
    expect(getConversation(h.db, 7)).toBeNull();
    expect(endConversation(h.db, 7)).toBeNull();
  });

  it('a new input replaces the previous one in the same chat', () => {
    const { h } = fileDb();
    startConversation(h.db, { chatId: 7, kind: 'draft', caseId: 3 });
    startConversation(h.db, { chatId: 7, kind: 'rework-comment', caseId: 4 });
    expect(getConversation(h.db, 7)).toMatchObject({ kind: 'rework-comment', caseId: 4, data: {} });
  });

  it('survives closing and reopening the database (a restart mid-draft)', () => {
    const { h, dir } = fileDb();
    startConversation(h.db, { chatId: 9, staffId: 2, kind: 'draft', caseId: 5, data: { text: 'Черновик', media: [{ type: 'photo', fileId: 'AgAD' }] } });
    h.close();
    handles.splice(handles.indexOf(h), 1);
    const again = openDatabase(path.join(dir, 'otklik.db'));
    handles.push(again);
    expect(getConversation(again.db, 9)?.data).toEqual({ text: 'Черновик', media: [{ type: 'photo', fileId: 'AgAD' }] });
  });

  it('ends the conversations about a case, optionally of some kinds', () => {
    const { h } = fileDb();
    startConversation(h.db, { chatId: 1, kind: 'draft', caseId: 5 });
    startConversation(h.db, { chatId: 2, kind: 'rework-comment', caseId: 5 });
    startConversation(h.db, { chatId: 3, kind: 'draft', caseId: 6 });
    expect(endConversationsForCase(h.db, 5, ['draft'])).toBe(1);
    expect(getConversation(h.db, 2)).not.toBeNull();
    expect(endConversationsForCase(h.db, 5)).toBe(1);
    expect(getConversation(h.db, 3)?.caseId).toBe(6);
  });
});
