import type { Value } from '@weft/core';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { usePresenceSource } from './context.js';
import { liveStore } from './live-store.js';

/**
 * The presence of the space's other clients (by client id), kept current, and a function that
 * sets this client's own (a small ephemeral state such as a name, a cursor, "typing"; never
 * stored, gone from the others shortly after this client disconnects).
 */
export function usePresence<S extends Value = Value>(): [
  others: ReadonlyMap<string, S>,
  setMine: (state: S) => void,
] {
  const source = usePresenceSource();
  const store = useMemo(() => {
    // A copy: the source's map changes in place, and React needs a new value to see a change.
    const read = () => new Map(source.presence()) as unknown as ReadonlyMap<string, S>;
    return liveStore(
      read,
      (set) => {
        set(read());
        return source.subscribePresence(() => set(read()));
      },
      samePresence,
    );
  }, [source]);
  const others = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const setMine = useCallback((state: S) => source.setPresence(state), [source]);
  return [others, setMine];
}

function samePresence<S>(a: ReadonlyMap<string, S>, b: ReadonlyMap<string, S>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, state] of a) if (b.get(client) !== state) return false;
  return true;
}
