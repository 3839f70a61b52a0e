import type http from 'node:http';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../infra/logger.js';
import { BodyTooLarge, MAX_BODY_BYTES, readBody, secretMatches } from '../infra/http-body.js';
import type { BotContext } from './context.js';

/**
 * The Telegram webhook: the secret header is checked (in constant time) before the body is read, the
 * body is at most 1 MB (413 beyond, never buffered whole), and Telegram gets 200 only once the update
 * was handled — an update lost with a crash is posted again and the update dedupe skips what was done.
 */
export function webhookHandler(bot: Bot<BotContext>, secret: string | undefined, logger: Logger): http.RequestListener {
  return (req, res) => {
    void (async () => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], secret)) {
        req.resume();
        return void res.writeHead(401).end('secret token is wrong');
      }
      let update: Update;
      try {
        update = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8')) as Update;
      } catch (err) {
        if (err instanceof BodyTooLarge) return void res.writeHead(413).end('too large');
        if (err instanceof SyntaxError) return void res.writeHead(400).end('bad json');
        return void res.destroy();
      }
      if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') return void res.writeHead(400).end('not an update');
      try {
        await bot.handleUpdate(update);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (err) {
        logger.error({ err: (err as Error).message, update: update.update_id }, 'telegram webhook: update not handled, Telegram will post it again');
        res.writeHead(500).end();
      }
    })();
  };
}
