import { runStorageAcceptance, type TestHarness } from '@weft/core';
import { IndexedDbStorage, type IndexedDbStorageOptions } from '@weft/indexeddb';

let opened = 0;

/**
 * The storage acceptance suite over IndexedDbStorage, each test on a database of its own.
 * Registered in the page (real IndexedDB) and in Node (names only, or fake-indexeddb).
 */
export function registerAcceptance(
  t: TestHarness,
  label = 'indexeddb',
  options: IndexedDbStorageOptions = {},
): void {
  const unique = () => `acceptance-${Date.now().toString(36)}-${opened++}`;
  runStorageAcceptance(label, t, {
    open: () => IndexedDbStorage.open(unique(), options),
    async reopen(adapter) {
      await adapter.close();
      return IndexedDbStorage.open((adapter as IndexedDbStorage).name, options);
    },
  });
}
