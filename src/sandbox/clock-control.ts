import type { AppContext } from '../kernel/context.js';
import { isMovable } from '../kernel/context.js';
import { clockTarget, isClockStep } from './clock.js';

/** Messages between the sandbox launcher and the service it started (Node's IPC channel, never the network). */
export type ClockRequest = { type: 'clock'; id: number; step: string };
export type ClockReply = { type: 'clock:now'; now: string } | { type: 'clock:done'; id: number; now: string; result: unknown } | { type: 'clock:error'; id: number; error: string };

/**
 * In the sandbox the launcher moves the service clock: only when OTKLIK_SANDBOX_CLOCK=ipc, the clock is a
 * fake one (OTKLIK_FAKE_NOW), the process has a parent's IPC channel and NODE_ENV is not production —
 * none of which holds in production. After each move the scheduler runs a tick at once, so what fell due fires.
 */
export function startClockControl(app: AppContext, tick: () => Promise<unknown>): { name: string; stop: () => Promise<void> } | null {
  const clock = app.clock;
  const send = process.send?.bind(process);
  if (app.env.OTKLIK_SANDBOX_CLOCK !== 'ipc' || !send || !isMovable(clock) || process.env.NODE_ENV === 'production') return null;
  const reply = (m: ClockReply) => send(m);
  const onMessage = (raw: unknown) => {
    const msg = raw as Partial<ClockRequest> | null;
    if (!msg || msg.type !== 'clock') return;
    const id = Number(msg.id);
    if (!isClockStep(msg.step)) {
      reply({ type: 'clock:error', id, error: `unknown clock step: ${String(msg.step)}` });
      return;
    }
    const target = clockTarget(msg.step, clock.now(), app.workingTime);
    clock.moveTo(target.toMillis());
    app.logger.info({ step: msg.step, now: clock.now().toISO() }, 'sandbox: clock moved');
    // First the new time (what the tick sends is stamped with it), then the tick's outcome.
    reply({ type: 'clock:now', now: clock.now().toISO()! });
    tick().then(
      (result) => reply({ type: 'clock:done', id, now: clock.now().toISO()!, result }),
      (err: unknown) => reply({ type: 'clock:error', id, error: String(err) }),
    );
  };
  process.on('message', onMessage);
  // The channel must not keep a stopped service alive; and a sandbox service outlives no launcher
  // (killed or crashed): without its emulators it has nothing to talk to.
  process.channel?.unref();
  const onDisconnect = () => process.kill(process.pid, 'SIGTERM');
  process.once('disconnect', onDisconnect);
  reply({ type: 'clock:now', now: clock.now().toISO()! });
  return {
    name: 'sandbox-clock',
    stop: async () => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
    },
  };
}
