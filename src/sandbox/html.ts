/**
 * The bot's Telegram HTML made safe for the page: only the tags Telegram itself accepts, no attributes
 * but an http(s)/tg link's href; anything else is shown as text.
 */
const SIMPLE = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'blockquote', 'tg-spoiler']);

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function telegramHtml(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      out += keepEntities(src.slice(i));
      break;
    }
    out += keepEntities(src.slice(i, lt));
    const gt = src.indexOf('>', lt);
    if (gt < 0) {
      out += escapeHtml(src.slice(lt));
      break;
    }
    out += tag(src.slice(lt + 1, gt)) ?? escapeHtml(src.slice(lt, gt + 1));
    i = gt + 1;
  }
  return out;
}

/** Text between tags: Telegram's entities stay, a stray character that could open markup is escaped. */
function keepEntities(text: string): string {
  return text
    .replace(/&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);)/gi, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/>/g, '&gt;');
}

function tag(inner: string): string | undefined {
  const close = /^\/\s*([a-z-]+)\s*$/i.exec(inner);
  if (close) {
    const name = close[1]!.toLowerCase();
    if (SIMPLE.has(name)) return name === 'tg-spoiler' ? '</span>' : `</${name}>`;
    if (name === 'a' || name === 'span') return `</${name}>`;
    return undefined;
  }
  const open = /^([a-z-]+)(\s[^]*)?$/i.exec(inner.trim());
  if (!open) return undefined;
  const name = open[1]!.toLowerCase();
  const attrs = open[2] ?? '';
  if (name === 'tg-spoiler') return '<span class="tg-spoiler">';
  if (SIMPLE.has(name)) return `<${name}>`;
  if (name === 'span') return /class\s*=\s*"tg-spoiler"/.test(attrs) ? '<span class="tg-spoiler">' : '<span>';
  if (name === 'a') {
    const href = /href\s*=\s*"([^"]*)"/.exec(attrs)?.[1]?.replace(/&amp;/g, '&') ?? '';
    return /^(https?|tg):/i.test(href) ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">` : '<a>';
  }
  return undefined;
}
