/** A held Web Lock; `release` lets the next waiter have it. */
export interface HeldLock {
  release(): void;
}

/**
 * Requests the Web Lock `name` and resolves once it is held (with `ifAvailable`, null at once
 * if another holds it). The lock is held until `release`, or until the page goes away: the
 * browser frees the locks of a closed tab, which is how tabs learn that another one is gone.
 */
export function acquireLock(
  name: string,
  options: { ifAvailable?: boolean; signal?: AbortSignal } = {},
): Promise<HeldLock | null> {
  return new Promise((resolve, reject) => {
    navigator.locks
      .request(name, options, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        return new Promise<void>((release) => resolve({ release }));
      })
      .catch(reject);
  });
}

/** Calls `gone` once the lock `name` is free (its holder released it or closed). */
export function whenFree(name: string, gone: () => void): () => void {
  const abort = new AbortController();
  navigator.locks.request(name, { signal: abort.signal }, () => gone()).catch(() => {});
  return () => abort.abort();
}
