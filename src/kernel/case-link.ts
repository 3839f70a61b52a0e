import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from './context.js';
import { arg, callbackCodec } from './callback-data.js';

/** Callback action of the button that opens a case card at the bottom of the chat (views.ts handles it). */
export const caseLinkCallbacks = callbackCodec('case', { open: arg.none });

/**
 * The button a notice about a case carries when it has no buttons of its own, so the person can open the
 * case from where he reads the notice (the press is re-authorized like `/case N`).
 */
export function openCaseKeyboard(app: Pick<AppContext, 't'>, locale: string, caseId: number): InlineKeyboardButton[][] {
  return [[{ text: app.t(locale, 'case-open-btn'), callback_data: caseLinkCallbacks.encode('open', caseId) }]];
}
