import type { Collection, WithId } from '@weft/core';
import { useMemo, useSyncExternalStore } from 'react';
import { liveStore } from './live-store.js';

/**
 * One document of `collection`, kept current (undefined while it does not exist or after it
 * is deleted): the component renders again whenever the document changes, here or remotely.
 */
export function useDocument<T extends object>(
  collection: Collection<T>,
  id: string,
): WithId<T> | undefined {
  const store = useMemo(
    () =>
      liveStore<WithId<T> | undefined>(
        () => collection.get(id),
        (set) => collection.subscribe({ where: { id } }, (docs) => set(docs[0])),
      ),
    [collection, id],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
