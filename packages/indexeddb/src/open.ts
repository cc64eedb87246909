import { type Database, type DatabaseOptions, openDatabase } from '@weft/core';
import { IndexedDbStorage, type IndexedDbStorageOptions } from './indexeddb-storage.js';

/** The IndexedDB database that holds the Weft database `name`. */
export function indexedDbName(name: string): string {
  return `weft/${name}`;
}

export interface IndexedDbDatabaseOptions
  extends Omit<DatabaseOptions, 'storage'>,
    IndexedDbStorageOptions {
  /** The database's name in this origin (one IndexedDB database, `weft/<name>`). Default 'weft'. */
  readonly name?: string;
}

/**
 * Opens a Weft database stored in IndexedDB: the default in browsers. Its replica id is kept
 * in the store, so it stays the same across reloads. Only one tab may write it at a time (the
 * change log has one writer per replica): for apps that may be open in several tabs, use
 * `openBrowserDatabase` from @weft/browser, which shares it between them.
 */
export async function openIndexedDbDatabase(
  options: IndexedDbDatabaseOptions = {},
): Promise<Database> {
  const { name, indexedDB, IDBKeyRange, durability, ...rest } = options;
  const storage = await IndexedDbStorage.open(indexedDbName(name ?? 'weft'), {
    ...(indexedDB ? { indexedDB } : {}),
    ...(IDBKeyRange ? { IDBKeyRange } : {}),
    ...(durability ? { durability } : {}),
  });
  try {
    return await openDatabase({ ...rest, storage });
  } catch (error) {
    await storage.close();
    throw error;
  }
}
