import type { AppContext } from '../kernel/context.js';
import { monthTitle } from './render.js';

/** The caption of the report's files: «Сводка за ноябрь 2026», not the month's id «2026-11». */
export function reportCaption(app: Pick<AppContext, 't'>, locale: string, month: string): string {
  return app.t(locale, 'report-file-caption', { month: monthTitle(month, locale === 'en' ? 'en' : 'ru') });
}
