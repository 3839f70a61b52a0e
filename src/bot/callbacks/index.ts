import { caseLinkCallbacks } from '../../kernel/case-link.js';
import { manualPublicationCallbacks } from '../../kernel/manual-publication.js';
import { adminCallbacks } from './admin.js';
import { controlDateCallbacks, executorCallbacks } from './executor.js';
import { helpCallbacks, manualCallbacks, messengerCallbacks, reportCallbacks, stormCallbacks, viewCallbacks } from './menus.js';
import { approvalCallbacks, departmentHeadCallbacks, extensionCallbacks } from './review.js';
import { inviteCallbacks, staffCallbacks } from './staff.js';

/**
 * Every feature's callback actions, declared once per feature in this folder (the kernel declares the
 * two that sources send too: «open the case» and «published by hand»). A button is encoded and its press
 * decoded by the same codec.
 */
export const ALL_CALLBACKS = [
  approvalCallbacks,
  departmentHeadCallbacks,
  extensionCallbacks,
  executorCallbacks,
  controlDateCallbacks,
  adminCallbacks,
  staffCallbacks,
  inviteCallbacks,
  viewCallbacks,
  reportCallbacks,
  helpCallbacks,
  stormCallbacks,
  manualCallbacks,
  messengerCallbacks,
  caseLinkCallbacks,
  manualPublicationCallbacks,
] as const;

export {
  adminCallbacks,
  approvalCallbacks,
  caseLinkCallbacks,
  controlDateCallbacks,
  departmentHeadCallbacks,
  executorCallbacks,
  extensionCallbacks,
  helpCallbacks,
  inviteCallbacks,
  manualCallbacks,
  manualPublicationCallbacks,
  messengerCallbacks,
  reportCallbacks,
  staffCallbacks,
  stormCallbacks,
  viewCallbacks,
};

/** A press that names a feature's prefix but that its codec cannot read (forged or from an old build): refused, nothing changes. */
export async function refuseUnreadable(ctx: { answerCallbackQuery(o: { text: string; show_alert: boolean }): Promise<unknown>; t(key: string): string }): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('work-button-unknown'), show_alert: true });
}
