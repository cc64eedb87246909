/**
 * An external store (for React's useSyncExternalStore) over a subscription that calls back
 * with the current value at once and after every change (Collection.subscribe is one). The
 * value is cached, so React sees the same object until something really changed: documents are
 * immutable, so a result whose documents are the same objects is the same result.
 */
export interface LiveStore<T> {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): T;
}

export function liveStore<T>(
  read: () => T,
  watch: (set: (value: T) => void) => () => void,
  same: (a: T, b: T) => boolean = Object.is,
): LiveStore<T> {
  let value: { current: T } | undefined;
  const listeners = new Set<() => void>();
  let stop: (() => void) | undefined;
  const set = (next: T) => {
    if (value && same(value.current, next)) return;
    value = { current: next };
    for (const listener of [...listeners]) listener();
  };
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      // Watching calls `set` at once with the current value: anything missed while no one
      // watched is caught up here.
      stop ??= watch(set);
      return () => {
        listeners.delete(onChange);
        if (listeners.size > 0) return;
        stop?.();
        stop = undefined;
      };
    },
    getSnapshot() {
      value ??= { current: read() };
      return value.current;
    },
  };
}

/** Arrays holding the same elements (by identity) in the same order. */
export function sameElements<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
