import { Bot, MaxError, type Api } from '@maxhub/max-bot-api';

export { MaxError };
export type MaxApi = Api;

/**
 * The official library's API client (`@maxhub/max-bot-api`, dist/bot.js: `new Api(createClient(token,
 * config.clientOptions))`); `baseUrl` is MAX_API_ROOT, the fake server in tests. Only `bot.api` is used:
 * the library's own polling loop acknowledges a batch before its handlers finish, and we store first.
 */
export function createMaxApi(token: string, baseUrl: string): Api {
  return new Bot(token, { clientOptions: { baseUrl } }).api;
}
