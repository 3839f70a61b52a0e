/**
 * Whether `npm start` opens the sandbox: only with no BOT_TOKEN (and no MAX_BOT_TOKEN) at all, outside production, and unless
 * OTKLIK_SANDBOX=0 — so a misconfigured server never quietly runs a sandbox (it stops with the usual
 * «BOT_TOKEN is required» instead).
 */
export function wantsSandbox(env: NodeJS.ProcessEnv): boolean {
  return (env.BOT_TOKEN ?? '').trim() === '' && (env.MAX_BOT_TOKEN ?? '').trim() === '' && env.NODE_ENV !== 'production' && env.OTKLIK_SANDBOX !== '0';
}
