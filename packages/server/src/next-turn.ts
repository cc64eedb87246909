/**
 * A scheduler that runs callbacks on the next turn of the event loop, in the order given, all
 * in one `setImmediate`: a server schedules a push per client (and its storage writes) for
 * every change it receives, and a thousand clients should cost one timer, not a thousand.
 */
export function nextTurnQueue(): (callback: () => void) => void {
  let queue: (() => void)[] = [];
  const run = () => {
    const now = queue;
    queue = [];
    for (const callback of now) {
      // One that throws must not cost the others their turn (a push, a storage write).
      try {
        callback();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  return (callback) => {
    queue.push(callback);
    if (queue.length === 1) setImmediate(run);
  };
}
