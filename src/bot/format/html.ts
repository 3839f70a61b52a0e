/** Escapes untrusted text (citizens' messages, names) for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Splits a text into parts of at most `limit` characters, preferring paragraph, line and word
 * boundaries, never cutting an HTML entity or a surrogate pair.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = Math.max(rest.lastIndexOf('\n\n', limit), rest.lastIndexOf('\n', limit), rest.lastIndexOf(' ', limit));
    if (cut < limit / 2) cut = limit;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > cut - 8 && rest.indexOf(';', amp) >= cut) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

const TAG = /<(\/?)([a-z][a-z-]*)([^>]*)>/gi;

/**
 * splitText for Telegram HTML: no part cuts a tag in two, and a tag open at a cut is closed at the end
 * of its part and opened again at the start of the next, so every part parses on its own.
 */
export function splitHtml(html: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (html.length <= limit) return [html];
  const raw = splitText(html, limit - 200).flatMap((p) => {
    // A cut inside a tag («<a hre|f=…>»): the tag's start goes to the next part.
    const lt = p.lastIndexOf('<');
    return lt > p.lastIndexOf('>') ? [p.slice(0, lt), p.slice(lt)] : [p];
  });
  const merged: string[] = [];
  for (const p of raw) {
    const last = merged.length - 1;
    if (last >= 0 && merged[last]!.lastIndexOf('<') > merged[last]!.lastIndexOf('>')) merged[last] += p;
    else merged.push(p);
  }
  const out: string[] = [];
  let open: { name: string; tag: string }[] = [];
  for (const p of merged) {
    const body = open.map((t) => t.tag).join('') + p;
    const stack = [...open];
    for (const m of p.matchAll(TAG)) {
      const name = m[2]!.toLowerCase();
      if (m[1]) {
        const i = stack.map((t) => t.name).lastIndexOf(name);
        if (i >= 0) stack.splice(i, 1);
      } else stack.push({ name, tag: m[0] });
    }
    out.push(
      body +
        [...stack]
          .reverse()
          .map((t) => `</${t.name}>`)
          .join(''),
    );
    open = stack;
  }
  return out.filter((p) => p.trim().length > 0);
}
