import { describe, expect, it } from 'vitest';
import { conversationAllowed } from '../../../src/bot/conversation/stale.js';
import type { CaseState } from '../../../src/domain/workflow/model.js';

/** The role re-check when typed text arrives: who may still finish an open input (К11: the head or the deputy supervising the department). */
describe('conversationAllowed', () => {
  const s = { assignments: [{ seq: 1, role: 'responsible', status: 'accepted', departmentId: 'roads', executorId: 7 }] } as unknown as CaseState;
  const person = (roles: string[], departmentId: string | null = null, active = true, supervises: string[] = []) => ({ id: 5, active, roles, departmentId, supervises });
  const returnComment = { kind: 'dept-return-comment', staffId: 5 };

  it('the responsible department head and a deputy may type the return comment of a draft under review', () => {
    expect(conversationAllowed(returnComment, person(['department_head'], 'roads'), s)).toBe(true);
    expect(conversationAllowed(returnComment, person(['deputy'], null, true, ['roads']), s)).toBe(true);
  });

  it('another department head, a deputy of other departments, an executor, a deactivated deputy or another person may not', () => {
    expect(conversationAllowed(returnComment, person(['deputy'], null, true, ['zhkh']), s)).toBe(false);
    expect(conversationAllowed(returnComment, person(['department_head'], 'zhkh'), s)).toBe(false);
    expect(conversationAllowed(returnComment, person(['executor'], 'roads'), s)).toBe(false);
    expect(conversationAllowed(returnComment, person(['deputy'], null, false, ['roads']), s)).toBe(false);
    expect(conversationAllowed({ ...returnComment, staffId: 6 }, person(['deputy'], null, true, ['roads']), s)).toBe(false);
  });

  it('administrator inputs need the administrator role', () => {
    expect(conversationAllowed({ kind: 'admin-note', staffId: 5 }, person(['administrator']), s)).toBe(true);
    expect(conversationAllowed({ kind: 'admin-note', staffId: 5 }, person(['executor'], 'roads'), s)).toBe(false);
  });
});
