// `otklik sandbox`: the whole service on built-in Telegram and VK emulators, driven from a browser page.
export const summary = 'open the sandbox: the service on built-in Telegram and VK emulators, in the browser (no tokens)';

export async function run(args: string[]): Promise<number> {
  const { runSandbox } = await import('../../sandbox/run.js');
  return runSandbox(args);
}
