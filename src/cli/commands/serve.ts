// `otklik serve`: runs the service (what `npm start` does).
export const summary = 'run the service (Telegram bot, VK collector, scheduler)';

const usage = `Использование / usage:
  otklik serve        запуск сервиса; настройки — переменные окружения или .env (см. .env.example)`;

export async function run(args: string[] = []): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  // No BOT_TOKEN on a developer's machine: the sandbox instead of an error (see src/sandbox/decide.ts).
  const { config } = await import('dotenv');
  config({ quiet: true });
  const { wantsSandbox } = await import('../../sandbox/decide.js');
  if (wantsSandbox(process.env)) return (await import('../../sandbox/run.js')).runSandbox([]);
  const { main } = await import('../../main.js');
  return main();
}
