import { describe, expect, it } from 'vitest';
import {
  CASE_STATUSES,
  COMMAND_TYPES,
  TRANSITIONS,
  checkInvariants,
  decide,
  rolesFor,
  statusesFor,
  type Actor,
  type CaseState,
  type Command,
  type CommandType,
} from '../../../src/domain/workflow/index.js';
import { PRESET_IDS, cast, promised, publisherOf, reach, regulation, registerCommand, type Driver, type PresetId } from '../../support/workflow-fixtures.js';

/** A sensible command of each type for a case in `s`, with the actor who may give it. */
function commandFor(type: CommandType, d: Driver, preset: PresetId): Command & { actor: Actor } {
  const reg = regulation(preset);
  const s: CaseState | null = d.state;
  const co = s?.assignments.find((a) => a.role === 'co_executor' && a.status !== 'withdrawn');
  switch (type) {
    case 'register':
      return registerCommand() as Command & { actor: Actor };
    case 'attachMessage':
      return { type, actor: cast.admin, messageId: 999 };
    case 'triage':
      return { type, actor: cast.admin, topic: 'roads', location: 'центр' };
    case 'reject':
      return { type, actor: cast.admin, reasonId: reg.rejectionReasons[0]!.id };
    case 'markNotCompetent':
      return { type, actor: cast.admin, outsideBodyId: 'rosseti' };
    case 'markRepeat':
      return { type, actor: cast.admin, repeatOf: 77 };
    case 'assign':
      return s?.status === 'new'
        ? { type, actor: cast.admin, assignments: [{ departmentId: 'roads', executorId: 11 }] }
        : { type, actor: cast.admin, assignments: [{ departmentId: 'housing', executorId: 41 }] };
    case 'designateExecutor':
      return { type, actor: cast.parksHead, assignmentSeq: co?.seq ?? 2, executorId: 22 };
    case 'accept':
      return s?.status === 'assigned' ? { type, actor: cast.roadsExec } : { type, actor: cast.parksExec };
    case 'returnCase':
      return s?.status === 'assigned' || s?.status === 'in_work' ? { type, actor: cast.roadsExec, reason: 'не наше' } : { type, actor: cast.parksExec, reason: 'не наше' };
    case 'reassign':
      if (s?.status === 'awaiting_final') return { type, actor: cast.admin, departmentId: 'housing', executorId: 41, comment: 'не тот отдел' };
      return s?.status === 'returned'
        ? { type, actor: cast.admin, departmentId: 'housing', executorId: 41 }
        : { type, actor: cast.admin, assignmentSeq: co?.seq ?? 2, departmentId: 'housing', executorId: 41 };
    case 'contributePart':
      return { type, actor: cast.parksExec, text: 'Наша часть' };
    case 'saveDraft':
      return { type, actor: cast.roadsExec, text: 'Новый текст' };
    case 'submitDraft':
      return { type, actor: cast.roadsExec, text: 'Ответ по существу' };
    case 'approveAtDepartment':
      return { type, actor: cast.roadsHead };
    case 'returnAtDepartment':
      return { type, actor: cast.roadsHead, comment: 'доработайте' };
    case 'approve':
      return { type, actor: cast.admin };
    case 'sendToRework':
      return { type, actor: cast.admin, comment: 'доработайте' };
    case 'publish':
      return { type, actor: publisherOf(preset) };
    case 'recordPublication':
      return { type, actor: cast.system, externalId: '1' };
    case 'authorReplied':
      return { type, actor: cast.system, messageId: 500 };
    case 'close':
      return { type, actor: cast.admin };
    case 'extend': {
      const due = s?.deadlines.find((x) => (x.kind === 'answer' || x.kind === 'final_answer') && (x.status === 'open' || x.status === 'paused'))?.dueAt ?? 0;
      return { type, actor: cast.admin, until: due + 24 * 3600_000 };
    }
    case 'setControlDate':
      return { type, actor: cast.admin, until: (s?.updatedAt ?? 0) + 5 * 86400_000 };
    case 'escalate':
      return { type, actor: cast.admin };
    case 'banAuthor':
      return { type, actor: cast.admin, reasonId: reg.banReasons[0]?.id ?? 'none', until: null };
    case 'recomputeDeadlines':
      return { type, actor: cast.system, reason: 'calendar changed' };
    case 'joinInto':
      return { type, actor: cast.admin, intoCaseId: 77, intoNumber: 77 };
    case 'acceptJoined':
      return { type, actor: cast.admin, joined: { caseId: 78, number: 78, messageId: 998 } };
  }
}

/** Steps the regulation does not provide for: refused with `not_provided` even for the right actor. */
function notProvided(preset: PresetId, type: CommandType): boolean {
  const reg = regulation(preset);
  if (type === 'extend') return reg.windows.maxExtension === null;
  if (type === 'escalate') return !reg.rules.urgentPushToHead;
  if (type === 'banAuthor') return !reg.rules.bansAllowed;
  return false;
}

/** Table edges that need a case shape other than the ordinary path (covered by scenario tests). */
function specialOk(preset: PresetId, type: CommandType, status: string): string | null {
  // An unpublished clarification cannot be asked after the answer term was met (awaiting_final): the
  // ordinary path then drafts a final answer, which is fine; nothing special.
  if (type === 'markRepeat' && status === 'returned') return null;
  // А7.1 · А9: a routed (so acknowledged) message can no longer be rejected in Ахты.
  if (type === 'reject' && status === 'returned' && preset === 'akhty-2021') return 'already_accepted: the author was told the message is accepted (А7.1); it cannot be rejected now (А9)';
  // The ordinary path promised a date: the control date exists and moves only by an extension (А7.9).
  if (type === 'setControlDate' && status === 'awaiting_final') return 'already_done: the final answer already has its term; it moves only by an extension (А7.9)';
  return null;
}

const personas: Record<string, Actor> = {
  system: cast.system,
  administrator: cast.admin,
  coordinator: cast.coordinator,
  head: cast.head,
  department_head: cast.roadsHead,
  executor: cast.roadsExec,
};

function personaHasRole(name: string, preset: PresetId, type: CommandType, status: string): boolean {
  const here = TRANSITIONS.filter((t) => t.command === type && (t.from as readonly string[]).includes(status));
  const roles = here.length ? here.flatMap((t) => t.roles) : rolesFor(type);
  const a = personas[name]!;
  return roles.some((r) => {
    if (r === 'system') return a.staffId === null;
    if (r === 'publisher') {
      const p = regulation(preset).rules.publisher;
      return p === 'on_approval' ? a.staffId === null : a.staffId !== null && a.roles.includes(p);
    }
    return a.staffId !== null && a.roles.includes(r);
  });
}

describe('transition table', () => {
  it('every edge names a clause and only known statuses', () => {
    for (const t of TRANSITIONS) {
      expect(t.clause, `${t.command}`).toMatch(/\S/);
      for (const f of t.from) expect(['none', ...CASE_STATUSES]).toContain(f);
      if (t.to !== 'same') expect(CASE_STATUSES).toContain(t.to);
    }
    for (const c of COMMAND_TYPES)
      expect(
        TRANSITIONS.some((t) => t.command === c),
        c,
      ).toBe(true);
  });

  for (const preset of PRESET_IDS) {
    describe(preset, () => {
      const statuses = ['none', ...CASE_STATUSES] as const;
      for (const status of statuses) {
        const base = reach(preset, status);
        if (!base) continue;
        describe(`from ${status}`, () => {
          for (const type of COMMAND_TYPES) {
            it(`${type}: allowed for the right role, refused for every other role`, () => {
              const allowedHere = statusesFor(type).includes(status);
              const right = commandFor(type, base, preset);
              // the right actor
              const r = decide(base.state, right, base.ctx);
              if (!allowedHere) {
                expect(r.ok ? 'ok' : r.refusal.code).toMatch(/^(wrong_state|wrong_role)$/);
              } else if (notProvided(preset, type)) {
                expect(r.ok ? 'ok' : r.refusal.code).toBe('not_provided');
              } else {
                const special = specialOk(preset, type, status);
                expect(r.ok ? 'ok' : `${r.refusal.code}: ${r.refusal.message}`).toBe(special ?? 'ok');
                if (r.ok && r.events.length) {
                  expect(checkInvariants(r.state, regulation(preset))).toEqual([]);
                  for (const e of r.events) expect(e.from === null ? 'none' : e.from).toBeDefined();
                }
              }
              // every persona
              for (const name of Object.keys(personas)) {
                const cmd = { ...right, actor: personas[name]! } as Command;
                const rr = decide(base.state, cmd, base.ctx);
                if (!personaHasRole(name, preset, type, status)) {
                  expect(rr.ok ? 'ok' : rr.refusal.code, `${name}`).toBe('wrong_role');
                } else if (!allowedHere) {
                  expect(rr.ok ? 'ok' : rr.refusal.code, `${name}`).toBe('wrong_state');
                } else if (!rr.ok) {
                  expect(rr.refusal.code, `${name}: ${rr.refusal.message}`).not.toBe('wrong_role');
                }
              }
            });
          }
        });
      }
    });
  }
});

describe('refusals a button press can meet', () => {
  it('not_assignee: another executor of the same department cannot accept', () => {
    const d = reach('akhty-2021', 'assigned')!;
    d.refused({ type: 'accept', actor: cast.roadsExec2 }, 'not_assignee');
    d.refused({ type: 'accept', actor: cast.housingExec, assignmentSeq: 1 }, 'not_assignee');
  });

  it('wrong_department: the head of another department cannot approve (К11)', () => {
    const d = reach('kanash-2020', 'dept_review')!;
    d.refused({ type: 'approveAtDepartment', actor: cast.parksHead }, 'wrong_department');
    reach('kanash-2020', 'in_work')!.refused({ type: 'designateExecutor', actor: cast.roadsHead, assignmentSeq: 2, executorId: 22 }, 'wrong_department');
  });

  it('already_done: accepting twice', () => {
    const d = reach('kanash-2020', 'in_work')!;
    d.refused({ type: 'accept', actor: cast.roadsExec, assignmentSeq: 1 }, 'already_done');
  });

  it('unknown reasons are refused (К19, А9, А10)', () => {
    reach('kanash-2020', 'new')!.refused({ type: 'reject', actor: cast.admin, reasonId: 'boring' }, 'unknown_reason');
    reach('akhty-2021', 'new')!.refused({ type: 'banAuthor', actor: cast.admin, reasonId: 'boring', until: null }, 'unknown_reason');
  });

  it('assign needs exactly one responsible executor when several departments are named (К16, А7.10)', () => {
    reach('akhty-2021', 'new')!.refused({ type: 'assign', actor: cast.admin, assignments: [{ departmentId: 'roads' }, { departmentId: 'parks' }] }, 'invalid');
  });

  it('a comment is required to return a draft', () => {
    reach('akhty-2021', 'on_approval')!.refused({ type: 'sendToRework', actor: cast.admin }, 'invalid');
  });

  it('the executor must accept before drafting', () => {
    const d = reach('akhty-2021', 'assigned')!;
    d.refused({ type: 'saveDraft', actor: cast.roadsExec, text: 'x' }, 'wrong_state');
  });

  it('in Канаш only the executor publishes (К14); in Ахты only the administrator (А7.7)', () => {
    reach('kanash-2020', 'approved')!.refused({ type: 'publish', actor: cast.admin }, 'wrong_role');
    reach('kanash-2020', 'approved')!.refused({ type: 'publish', actor: cast.roadsExec2 }, 'not_assignee');
    reach('akhty-2021', 'approved')!.refused({ type: 'publish', actor: cast.roadsExec }, 'wrong_role');
    expect(decide(reach('akhty-2021', 'approved')!.state, { type: 'publish', actor: cast.admin }, reach('akhty-2021', 'approved')!.ctx).ok).toBe(true);
  });

  it('intermediate answers: А7.8 requires the promised term; К15 limits it to 7 working days', () => {
    const a = reach('akhty-2021', 'in_work')!;
    a.refused({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся' }, 'term_required');
    const k = reach('kanash-2020', 'in_work')!;
    const far = k.ctx.clock.now().plus({ days: 30 }).toMillis();
    k.refused({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся', promisedBy: far }, 'term_too_long');
    expect(k.try({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся' }).ok).toBe(true);
    expect(a.try({ type: 'submitDraft', actor: cast.roadsExec, kind: 'intermediate', text: 'Разбираемся', promisedBy: promised(a.ctx) }).ok).toBe(true);
  });
});

describe('the audit records the clause of the edge taken', () => {
  /** Events a command records for another command's step: an escalation at triage, a publication requested on approval. */
  const stepOf = (type: CommandType, eventType: string): CommandType => (eventType === 'escalated' ? 'escalate' : eventType === 'publish_requested' ? 'publish' : type);

  for (const preset of PRESET_IDS) {
    it(`${preset}: every accepted command's events carry the clause of its table edge`, () => {
      let checked = 0;
      for (const status of ['none', ...CASE_STATUSES] as const) {
        const base = reach(preset, status);
        if (!base) continue;
        for (const type of COMMAND_TYPES) {
          const r = decide(base.state, commandFor(type, base, preset), base.ctx);
          if (!r.ok) continue;
          for (const e of r.events) {
            const step = stepOf(type, e.type);
            const from = step === type ? status : (e.from ?? 'none');
            const to = step === type ? r.state.status : e.to;
            const edges = TRANSITIONS.filter((t) => t.command === step && (t.from as readonly string[]).includes(from) && (t.to === to || (t.to === 'same' && to === from)));
            expect(edges.length, `${type} from ${status}`).toBeGreaterThan(0);
            expect(
              edges.map((t) => t.clause),
              `${type} from ${status}: ${e.type}`,
            ).toContain(e.clause);
            if (edges.length === 1) expect(e.clause).toBe(edges[0]!.clause);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    });
  }

  it('register records its edge (К6, К8 · А6.2, А7.1), not a literal of its own', () => {
    const d = reach('kanash-2020', 'new')!;
    expect(d.events[0]!.clause).toBe(TRANSITIONS.find((t) => t.command === 'register')!.clause);
  });

  it('from `assigned`, moving the responsible executor and replacing a co-executor record their own edges', () => {
    const moving = TRANSITIONS.find((t) => t.command === 'reassign' && t.when?.startsWith('the administrator moves'))!;
    const co = TRANSITIONS.find((t) => t.command === 'reassign' && t.when === 'a new co-executor')!;
    const d = reach('akhty-2021', 'assigned')!;
    const moved = d.try({ type: 'reassign', actor: cast.admin, assignmentSeq: 1, departmentId: 'housing', executorId: 41, comment: 'не тот отдел' });
    const replaced = d.try({ type: 'reassign', actor: cast.admin, assignmentSeq: 2, departmentId: 'housing', executorId: 41 });
    expect([moved.ok && moved.events[0]!.clause, replaced.ok && replaced.events[0]!.clause]).toEqual([moving.clause, co.clause]);
  });
});
