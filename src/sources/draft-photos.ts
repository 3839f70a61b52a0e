import type { AppContext } from '../kernel/context.js';
import type { Attachment } from '../domain/workflow/model.js';
import { maxFileUrl } from '../kernel/workspace-id.js';

/**
 * A photo of a draft as the publishers need it: by its public URL, or by the file id an executor's photo
 * carries — a Telegram file id (`tg:<id>`, `tg-file:<id>`), or `max:<url>` for a photo sent in MAX
 * (kernel/workspace-id.ts). Null for anything else.
 */
export function draftPhoto(a: Attachment): { url: string } | { fileId: string } | null {
  if (a.type !== 'photo') return null;
  if (a.url) return { url: a.url };
  const fileId = a.ref ? /^tg(?:-file)?:(.+)$/.exec(a.ref)?.[1] : undefined;
  return fileId ? { fileId } : null;
}

/**
 * The bytes of a draft photo by its file id: a MAX photo from the URL MAX gave with it, a Telegram one
 * through the Bot API (the file URL carries the bot token, so it is never handed to another library or logged).
 */
export async function draftFileBytes(app: AppContext, fileId: string): Promise<Buffer> {
  const maxUrl = maxFileUrl(fileId);
  if (maxUrl) {
    const f = await fetch(maxUrl);
    if (!f.ok) throw new Error(`MAX file download failed: HTTP ${f.status}`);
    return Buffer.from(await f.arrayBuffer());
  }
  const root = app.env.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  const token = app.env.BOT_TOKEN;
  const r = await fetch(`${root}/bot${token}/getFile?file_id=${encodeURIComponent(fileId)}`);
  const j = (await r.json()) as { ok?: boolean; result?: { file_path?: string } };
  if (!j.ok || !j.result?.file_path) throw new Error('telegram getFile failed for a draft photo');
  const f = await fetch(`${root}/file/bot${token}/${j.result.file_path}`);
  if (!f.ok) throw new Error(`telegram file download failed: HTTP ${f.status}`);
  return Buffer.from(await f.arrayBuffer());
}
