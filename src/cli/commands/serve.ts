// `otklik serve`: runs the service (what `npm start` does).
export const summary = 'run the service (Telegram bot, VK collector, scheduler)';

export async function run(): Promise<number> {
  const { main } = await import('../../main.js');
  return main();
}
