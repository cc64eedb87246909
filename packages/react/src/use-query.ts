import type { Collection, QuerySpec, WithId } from '@weft/core';
import { useMemo, useSyncExternalStore } from 'react';
import { liveStore, sameElements } from './live-store.js';

/**
 * The documents of `collection` that match `query`, kept current: the component renders again
 * after every local or remote change that affects the result. The query is data, compared by
 * value, so an inline object literal does not resubscribe on every render.
 */
export function useQuery<T extends object>(
  collection: Collection<T>,
  query: QuerySpec = {},
): WithId<T>[] {
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query is keyed by its value
  const store = useMemo(
    () =>
      liveStore(
        () => collection.find(query),
        (set) => collection.subscribe(query, (docs) => set(docs)),
        sameElements,
      ),
    [collection, key],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
