import type { AppContext } from '../kernel/context.js';
import type { EffectHandlers } from '../kernel/effects.js';
import type { Db } from '../db/connection.js';
import { activeStaff } from '../db/repositories/staff.js';
import { caseNumberOf } from '../db/repositories/case-store.js';
import { substituteFor } from '../domain/workflow/absence.js';
import type { Recipient } from '../domain/workflow/effects.js';
import { Priority } from '../outbox/queue.js';
import { queueCard, refreshCards } from './cards/registry.js';
import { localeOf } from './cards/format.js';
import { absencesNow } from './run-command.js';
import type { StaffRow } from './context.js';
import { openCaseKeyboard } from '../kernel/case-link.js';
import { routeNewCase } from './storm.js';

/**
 * Who a `notify` effect reaches: one person, or every active person with the role (in the department
 * when one is named). Someone away (А6.3) is replaced by his substitute; away with nobody named, he
 * still gets it (nobody else would).
 */
export function recipientsOf(tx: Db, to: Recipient, now: number): StaffRow[] {
  const active = activeStaff(tx);
  let list: StaffRow[];
  if ('staffId' in to) list = active.filter((s) => s.id === to.staffId);
  else list = active.filter((s) => s.roles.includes(to.role) && (to.departmentId === null || s.departmentId === to.departmentId || (to.role === 'deputy' && s.supervises.includes(to.departmentId))));
  const away = absencesNow(tx, now);
  const out = new Map<number, StaffRow>();
  for (const s of list) {
    const sub = substituteFor(s.id, now, away);
    const target = sub === undefined || sub === null ? s : (active.find((x) => x.id === sub) ?? s);
    out.set(target.id, target);
  }
  return [...out.values()];
}

/**
 * Notifications that come with their own message beside the card (work-common.ts
 * `notifySupplementHandlers`: the draft as it will be published, the rework comment with the earlier
 * version, a co-executor's part). That message is the notification; a short `notify-<kind>` line on
 * top of it would only be one more message in the chat.
 */
export const NOTIFY_WITH_OWN_MESSAGE: ReadonlySet<string> = new Set(['draft_for_approval', 'draft_for_department_review', 'draft_returned', 'part_contributed']);

/**
 * The bot's effect handlers (wired in src/app/service.ts): a `notify` effect puts the case card in
 * front of the person who must act next — a new card, or the existing one edited in place plus a short
 * notification (only to that person) — and edits every other card of the case in place.
 */
export function botEffectHandlers(app: AppContext): EffectHandlers {
  void app;
  return {
    notify(tx, effect, a) {
      const now = a.clock.now().toMillis();
      const people = recipientsOf(tx, effect.to, now);
      // Asked only for a notice beside an edited card: a new case in a storm needs none.
      let number: number | undefined;
      const numberOf = () => (number ??= caseNumberOf(tx, effect.caseId) ?? effect.caseId);
      for (const p of people) {
        // Cases coming faster than the chat can show them join the chat's storm summary instead of a card each.
        if (effect.kind === 'new_case' && routeNewCase(a, tx, effect.caseId, p.telegramId)) continue;
        const how = queueCard(a, tx, { caseId: effect.caseId, chatId: p.telegramId, staffId: p.id });
        if (how === 'edit' && !NOTIFY_WITH_OWN_MESSAGE.has(effect.kind)) {
          a.enqueue(
            {
              channel: 'telegram',
              action: 'sendMessage',
              // The card was edited in place, maybe far up the chat: the notice opens it at the bottom.
              payload: {
                chat_id: p.telegramId,
                parse_mode: 'HTML',
                text: a.t(localeOf(a, p), `notify-${effect.kind}`, { number: numberOf() }),
                reply_markup: { inline_keyboard: openCaseKeyboard(a, localeOf(a, p), effect.caseId) },
              },
              priority: Priority.interactive,
              throttleKey: `tg:${p.telegramId}`,
              caseId: effect.caseId,
            },
            tx,
          );
        }
      }
      // A case just registered has no cards yet but the ones queued above.
      if (effect.kind !== 'new_case')
        refreshCards(
          a,
          effect.caseId,
          tx,
          people.map((p) => p.telegramId),
        );
    },
  };
}
