import type { AppContext } from '../app/context.js';

/**
 * Author-facing texts (А7.1 acknowledgement, А7.12 not-competent notice, А7.9 extension notice):
 * locales/<locale>/author.ftl, overridable per organization in otklik.yaml → `templates` with the
 * same keys. Overrides use Fluent-style placeholders `{ $name }` and are filled by plain substitution.
 */
export type AuthorTemplateKey = 'author-ack' | 'author-not-competent' | 'author-extension' | 'author-joined-answer';

export function fillTemplate(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\s*\$([A-Za-z0-9_-]+)\s*\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function authorText(app: Pick<AppContext, 'org' | 't'>, key: AuthorTemplateKey, vars: Record<string, string | number>): string {
  const override = app.org.templates[key];
  if (override) return fillTemplate(override, vars);
  return app.t(app.org.organization.locale, key, vars);
}

/** «Здравствуйте, Иван!» when the author's name is known, «Здравствуйте!» otherwise. */
export function greeting(app: Pick<AppContext, 'org' | 't'>, name: string | null | undefined): string {
  const n = (name ?? '').trim();
  const locale = app.org.organization.locale;
  if (!n || /^(id|club)\d+$/.test(n)) return app.org.templates['author-greeting-anon'] ?? app.t(locale, 'author-greeting-anon');
  const first = n.split(/\s+/)[0]!;
  const override = app.org.templates['author-greeting'];
  return override ? fillTemplate(override, { name: first }) : app.t(locale, 'author-greeting', { name: first });
}
