import {
  type StorageAdapter,
  type StorageEntry,
  type StorageKey,
  type StorageOp,
  validateOp,
} from '@weft/core';
import { IndexedDbError, indexedDbError } from './errors.js';
import { keyRange } from './key-range.js';
import { requestResult, transactionDone } from './request.js';

/** The one object store: values under array keys (out of line). */
const STORE = 'entries';
const VERSION = 1;

export interface IndexedDbStorageOptions {
  /** The IndexedDB to use. Default: the platform's (`globalThis.indexedDB`). */
  readonly indexedDB?: IDBFactory;
  /** Its key range class. Default: `globalThis.IDBKeyRange`. */
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /**
   * 'strict' (the default): a batch resolves once the browser has flushed it to disk.
   * 'relaxed': once it is committed, which may be lost in a power cut (faster writes).
   */
  readonly durability?: 'strict' | 'relaxed';
}

/**
 * Storage on IndexedDB: one database, one object store, keys as IndexedDB array keys (which
 * sort element by element, as Weft's keys do), values as bytes. A batch is one readwrite
 * transaction and resolves when it completes; a range is one read transaction.
 */
export class IndexedDbStorage implements StorageAdapter {
  private closedBecause: string | undefined;

  private constructor(
    private readonly db: IDBDatabase,
    private readonly KeyRange: typeof IDBKeyRange,
    private readonly durability: 'strict' | 'relaxed',
  ) {
    // Another tab wants to upgrade or delete the database: let it, and fail from now on.
    db.onversionchange = () => {
      this.closedBecause = 'another tab upgraded or deleted it: reload the page';
      db.close();
    };
    db.onclose = () => {
      this.closedBecause ??= 'the browser closed it (site data cleared?): reload the page';
    };
  }

  /** Opens (creating if needed) the IndexedDB database `name`. */
  static async open(
    name: string,
    options: IndexedDbStorageOptions = {},
  ): Promise<IndexedDbStorage> {
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    const KeyRange =
      options.IDBKeyRange ?? (globalThis as { IDBKeyRange?: typeof IDBKeyRange }).IDBKeyRange;
    if (!factory || !KeyRange) {
      throw new IndexedDbError(
        'unavailable',
        name,
        `cannot open the IndexedDB database "${name}": this context has no IndexedDB. Run in a browser page or worker of a secure context (https or localhost), or pass options.indexedDB (fake-indexeddb in Node tests).`,
      );
    }
    const db = await openDb(factory, name);
    return new IndexedDbStorage(db, KeyRange, options.durability ?? 'strict');
  }

  get name(): string {
    return this.db.name;
  }

  async get(key: StorageKey): Promise<Uint8Array | undefined> {
    const store = this.transaction('readonly').objectStore(STORE);
    try {
      return (await requestResult(store.get([...key]))) as Uint8Array | undefined;
    } catch (error) {
      throw indexedDbError(this.name, 'read', error);
    }
  }

  async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    const tx = this.transaction('readonly');
    const range = keyRange(this.KeyRange, prefix, from, before);
    if (!range) return [];
    const store = tx.objectStore(STORE);
    try {
      // Both lists come in key order from one transaction: the nth key is the nth value's.
      const [keys, values] = await Promise.all([
        requestResult(store.getAllKeys(range)),
        requestResult(store.getAll(range)),
      ]);
      return keys.map((key, i) => ({ key: key as string[], data: values[i] as Uint8Array }));
    } catch (error) {
      throw indexedDbError(this.name, 'read', error);
    }
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    for (const op of ops) validateOp(op); // refuse the whole batch before writing any of it
    const tx = this.transaction('readwrite');
    const done = transactionDone(tx);
    const store = tx.objectStore(STORE);
    try {
      for (const op of ops) {
        if (op.op === 'put') store.put(ownBuffer(op.data), [...op.key]);
        else if (op.op === 'delete') store.delete([...op.key]);
        else store.delete(keyRange(this.KeyRange, op.prefix)!);
      }
    } catch (error) {
      tx.abort();
      await done.catch(() => {});
      throw indexedDbError(this.name, 'write', error);
    }
    try {
      await done;
    } catch (error) {
      throw indexedDbError(this.name, 'write', error);
    }
  }

  async close(): Promise<void> {
    if (this.closedBecause === undefined) {
      this.closedBecause = 'it was closed: open it again';
      this.db.close();
    }
  }

  private transaction(mode: IDBTransactionMode): IDBTransaction {
    if (this.closedBecause !== undefined) {
      throw new IndexedDbError(
        'closed',
        this.name,
        `the IndexedDB database "${this.name}" is closed: ${this.closedBecause}`,
      );
    }
    try {
      return mode === 'readwrite'
        ? this.db.transaction(STORE, mode, { durability: this.durability })
        : this.db.transaction(STORE, mode);
    } catch (error) {
      throw indexedDbError(this.name, mode === 'readwrite' ? 'write' : 'read', error);
    }
  }
}

/**
 * A value IndexedDB can store as it is: a view on part of a larger buffer would be cloned
 * with the whole buffer, so such a view is copied first.
 */
function ownBuffer(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}

function openDb(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, VERSION);
    } catch (error) {
      reject(indexedDbError(name, 'open', error));
      return;
    }
    let settled = false;
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      if (settled)
        request.result.close(); // it was blocked and we gave up on it
      else resolve(request.result);
      settled = true;
    };
    request.onerror = () => {
      settled = true;
      reject(indexedDbError(name, 'open', request.error));
    };
    request.onblocked = () => {
      if (settled) return;
      settled = true;
      reject(
        new IndexedDbError(
          'blocked',
          name,
          `cannot open the IndexedDB database "${name}": another tab holds it open at an older version. Close the other tabs of this app (or reload them), then reload this page.`,
        ),
      );
    };
  });
}
