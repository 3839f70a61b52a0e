import type { InlineKeyboardButton } from 'grammy/types';
import type { AppContext } from '../../kernel/context.js';
import type { StaffRow } from '../context.js';
import type { CardView } from '../cards/view.js';
import { adminCardButtons } from './admin.js';
import { workCardButtons } from '../features/work-buttons.js';
import { assistCardButtons } from '../assist.js';

/**
 * Buttons of a case card for one viewer. Each role's feature contributes the rows it owns; a provider
 * returns nothing when the viewer has nothing to do on the case in its current status. The executor /
 * department head / approval half adds its provider to this list.
 */
export type CardButtonsProvider = (app: AppContext, view: CardView, viewer: StaffRow) => InlineKeyboardButton[][];

export const cardButtonProviders: CardButtonsProvider[] = [adminCardButtons, workCardButtons, assistCardButtons];

export function cardKeyboard(app: AppContext, view: CardView, viewer: StaffRow): InlineKeyboardButton[][] {
  return cardButtonProviders.flatMap((p) => p(app, view, viewer));
}
