import { Composer } from 'grammy';
import type { Filter } from 'grammy';
import type { AppContext } from '../../kernel/context.js';
import type { CaseState, Draft, DraftVersion, NotifyKind } from '../../domain/workflow/index.js';
import type { ActionArgs, CallbackCodec, Press as Decoded } from '../../kernel/callback-data.js';
import type { BotContext, StaffRow } from '../context.js';
import { escapeHtml } from '../format/html.js';
import { runCommand, runFromButton, type CommandInput } from '../run-command.js';
import { endConversation, getConversation, startConversation } from '../../db/repositories/conversations.js';
import { refuseUnreadable } from '../callbacks/index.js';
import { decisionButtons } from './work-buttons.js';
import { caseOf, currentDraft, lastVersion, localeOf, recipientsOf, sendDraftPreview, sendHtml, toMedia, type NotifyHandler, type Tx } from './work-common.js';

/**
 * The review of a draft (or of a request) by someone above its author: the reviewer reads it, approves it
 * or sends it back with a comment he types, and the people concerned are told. The department head (К11),
 * the administrator (К12–К14, А7.5–А7.7) and the extension of a term (А7.9) are this one flow with their
 * own buttons and commands; each of those features only declares them.
 */

type PressCtx = Filter<BotContext, 'callback_query:data'> & { staff: StaffRow };
type TypedCtx = Filter<BotContext, 'message'> & { staff: StaffRow };

/** A press on one of the feature's buttons, the case already read, its argument decoded by the feature's codec. */
export type Press<C = { arg: unknown }> = (ctx: PressCtx, s: CaseState, cb: C, locale: string) => Promise<void>;

/** One handler per action of the feature's codec, each getting its own action's typed argument. */
export type Presses<P extends string, A extends ActionArgs> = { [K in keyof A & string]: Press<Extract<Decoded<P, A>, { name: K }>> };

export interface CaseButtonsSpec<P extends string, A extends ActionArgs> {
  /** The feature's callback actions (src/bot/callbacks/). */
  callbacks: CallbackCodec<P, A>;
  presses: Presses<P, A>;
  /** A locale key that refuses every press before the case is read (a step the regulation does not provide). */
  refuseAll?: () => string | null;
  /** What a press asked the person to type: the conversation kind and what becomes of the text. */
  typed?: { kind: string; submit: (ctx: TypedCtx, caseId: number, text: string, locale: string) => void };
}

async function alert(ctx: BotContext, key: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

/** The composer of a feature whose buttons are about one case and which may ask for one typed text. */
export function caseButtonsFeature<P extends string, A extends ActionArgs>(app: AppContext, spec: CaseButtonsSpec<P, A>): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('callback_query:data', async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    if (!spec.callbacks.claims(data) || !ctx.staff) return next();
    const refusal = spec.refuseAll?.();
    if (refusal) return alert(ctx, refusal);
    const cb = spec.callbacks.decode(data);
    if (!cb) return refuseUnreadable(ctx);
    const s = caseOf(app.db, cb.caseId);
    if (!s) return alert(ctx, 'work-case-not-found');
    await (spec.presses[cb.name] as Press<typeof cb>)(ctx as PressCtx, s, cb, localeOf(app, ctx.staff));
  });

  const typed = spec.typed;
  if (typed) {
    composer.on('message', async (ctx, next) => {
      if (!ctx.staff || ctx.chat.type !== 'private') return next();
      const conv = getConversation(app.db, ctx.chat.id);
      if (!conv || conv.kind !== typed.kind || ctx.msg.text?.startsWith('/')) return next();
      const locale = localeOf(app, ctx.staff);
      const text = ctx.msg.text?.trim();
      if (!text) return void sendHtml(app, ctx.chat.id, app.t(locale, 'review-comment-need-text'));
      try {
        typed.submit(ctx as TypedCtx, conv.caseId!, text, locale);
      } finally {
        endConversation(app.db, ctx.chat.id);
      }
    });
  }
  return composer;
}

/** A press that runs a workflow command and, when it is taken, tells the presser what happens next. */
export function commandPress(app: AppContext, command: CommandInput, toastKey: string, done: (locale: string, s: CaseState) => string): Press {
  return async (ctx, s, _cb, locale) => {
    const r = await runFromButton(ctx, s.id, command, ctx.t(toastKey));
    if (r.ok) sendHtml(app, ctx.chat!.id, done(locale, s), { caseId: s.id });
  };
}

/**
 * A press that asks for a text (the comment of a return, the reason of a request): `refusal` names why
 * this person may not, now; otherwise the conversation opens and the person is asked.
 */
export function askTextPress(app: AppContext, kind: string, refusal: (who: StaffRow, s: CaseState) => string | null, prompt: (locale: string, s: CaseState) => string): Press {
  return async (ctx, s) => {
    const refused = refusal(ctx.staff, s);
    if (refused) return alert(ctx, refused);
    startConversation(app.db, { chatId: ctx.chat!.id, staffId: ctx.staff.id, kind, caseId: s.id });
    await ctx.answerCallbackQuery();
    sendHtml(app, ctx.chat!.id, prompt(localeOf(app, ctx.staff), s), { forceReply: true });
  };
}

/** Who reviews a draft, which buttons he presses and which workflow commands they are. */
export interface ReviewSpec<P extends string, A extends ActionArgs> {
  reviewer: 'department_head' | 'administrator';
  callbacks: CallbackCodec<P, A>;
  approve: { action: keyof A & string; command: CommandInput; toastKey: string; done: (locale: string, s: CaseState) => string };
  sendBack: { action: keyof A & string; kind: string; command: (comment: string) => CommandInput; refusal: (who: StaffRow, s: CaseState) => string | null };
  /** The feature's other presses (designating an executor, publishing). */
  presses: Partial<Presses<P, A>>;
}

/** The reviewer's feature: approve, or send back with a typed comment; the reviewer is told the result. */
export function reviewFeature<P extends string, A extends ActionArgs>(app: AppContext, spec: ReviewSpec<P, A>): Composer<BotContext> {
  return caseButtonsFeature(app, {
    callbacks: spec.callbacks,
    presses: {
      ...spec.presses,
      [spec.approve.action]: commandPress(app, spec.approve.command, spec.approve.toastKey, spec.approve.done),
      [spec.sendBack.action]: askTextPress(app, spec.sendBack.kind, spec.sendBack.refusal, (locale, s) => app.t(locale, 'review-comment-ask', { case: s.number })),
    } as Presses<P, A>,
    typed: {
      kind: spec.sendBack.kind,
      submit: (ctx, caseId, comment, locale) => {
        const r = runCommand(app, ctx.staff, caseId, spec.sendBack.command(comment));
        sendHtml(app, ctx.chat.id, r.ok ? app.t(locale, 'review-returned', { case: r.state.number }) : escapeHtml(r.text), { caseId });
      },
    },
  });
}

/**
 * The notification that a draft waits for the reviewer: the draft exactly as it will be published, with
 * `header` above it and the reviewer's decision buttons under it.
 */
export function draftForReview(
  kind: NotifyKind,
  reviewer: 'department_head' | 'administrator',
  header: (tx: Tx, app: AppContext, locale: string, s: CaseState, d: Draft, v: DraftVersion) => string,
): Partial<Record<NotifyKind, NotifyHandler>> {
  return {
    [kind]: (tx: Tx, e: Parameters<NotifyHandler>[1], app: AppContext) => {
      const s = caseOf(tx, e.caseId);
      if (!s) return;
      const d = currentDraft(s);
      const v = lastVersion(d);
      if (!d || !v) return;
      for (const p of recipientsOf(tx, e.to, app.clock.now().toMillis())) {
        const locale = localeOf(app, p);
        sendDraftPreview(app, p.telegramId, { text: v.text, media: toMedia(v.attachments) }, header(tx, app, locale, s, d, v), {
          tx,
          caseId: s.id,
          keyboard: decisionButtons(app, locale, s.id, reviewer),
        });
      }
    },
  };
}
