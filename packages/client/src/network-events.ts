/**
 * Browsers (windows and workers) say when the network goes away and comes back, through
 * `offline` and `online` events on the global object. A client that listens drops a dead link
 * at once instead of after a heartbeat, and reconnects at once instead of after its backoff.
 * Elsewhere (Node) there are no such events and this does nothing. Returns the unsubscribe.
 */
export function watchNetwork(onOffline: () => void, onOnline: () => void): () => void {
  const g = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };
  if (typeof g.addEventListener !== 'function' || typeof g.removeEventListener !== 'function')
    return () => {};
  g.addEventListener('offline', onOffline);
  g.addEventListener('online', onOnline);
  return () => {
    g.removeEventListener?.('offline', onOffline);
    g.removeEventListener?.('online', onOnline);
  };
}
