/**
 * A scheduler that runs callbacks on the next turn of the event loop (once the I/O callbacks
 * ready now have run, each with its microtasks), in the order given, all in one macrotask: a
 * server schedules a push per client for every change it receives, and a replica a storage
 * write for every change; a thousand of them should cost one timer, not a thousand.
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
  const nextTurn = macrotask();
  return (callback) => {
    queue.push(callback);
    if (queue.length === 1) nextTurn(run);
  };
}

type Schedule = (callback: () => void) => void;

/**
 * The platform's quickest macrotask: `setImmediate` where there is one (Node, Bun), else a
 * MessageChannel message (browsers, workers, Deno), which unlike `setTimeout(0)` is not
 * clamped to 4 ms.
 */
function macrotask(): Schedule {
  // (Declared here, not in globals.d.ts: either may be missing; Node's types, where a test
  // brings them in, type them differently.)
  const platform = globalThis as unknown as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: new () => {
      port1: { onmessage: (() => void) | null; unref?(): void };
      port2: { postMessage(message: unknown): void };
    };
  };
  const { setImmediate, MessageChannel } = platform;
  if (typeof setImmediate === 'function') return (callback) => void setImmediate(callback);
  if (typeof MessageChannel !== 'function') return (callback) => void setTimeout(callback, 0);
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  // Where ports hold the process open (Deno, Node), this one must not: timers would not either.
  channel.port1.unref?.();
  return (callback) => {
    waiting.push(callback);
    channel.port2.postMessage(null);
  };
}
