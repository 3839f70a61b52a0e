/**
 * Drains a source's pending events: `batch` processes the next batch and returns how many it did (0 when
 * nothing is left or nothing moved). Calls while a drain runs join it, and it makes one more pass for them.
 */
export function coalescingDrain(batch: () => Promise<number> | number): () => Promise<number> {
  let running: Promise<number> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        for (;;) {
          const done = await batch();
          total += done;
          if (done === 0) break;
        }
      } while (again);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };
}
