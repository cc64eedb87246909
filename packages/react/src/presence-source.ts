import type { Value } from '@weft/core';

/**
 * What presence hooks need: the other clients' states, a way to set this client's own, and a
 * signal when either changes. A `SyncClient` (@weft/client) is one.
 */
export interface PresenceSource {
  /** The other clients' presence, by client id. */
  presence(): ReadonlyMap<string, Value>;
  setPresence(state: Value): void;
  /** Calls `listener` after every change of the others' presence; returns the unsubscribe. */
  subscribePresence(listener: () => void): () => void;
}
