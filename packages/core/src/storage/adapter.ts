/**
 * The storage contract: a handful of async methods over byte values under string-array keys.
 * Keys sort element by element (each element by UTF-16 code units), so a key prefix is a
 * range. An adapter acknowledges a write (resolves its promise) only once the write is
 * durable: on disk, or wherever the adapter's durability lives. `batch` is atomic: after a
 * crash either every operation of a batch is there or none is.
 *
 * Every adapter passes `runStorageAcceptance` (storage/acceptance.ts).
 */
export type StorageKey = readonly string[];

export interface StorageEntry {
  readonly key: StorageKey;
  readonly data: Uint8Array;
}

export type StorageOp =
  | {
      readonly op: 'put';
      readonly key: StorageKey;
      readonly data: Uint8Array;
      /**
       * The bytes never change again (nobody holds them to write): an adapter that keeps values
       * in memory may keep these as they are instead of copying them.
       */
      readonly immutable?: boolean;
    }
  | { readonly op: 'delete'; readonly key: StorageKey }
  | { readonly op: 'deleteRange'; readonly prefix: StorageKey };

export interface StorageAdapter {
  /** The value under exactly `key`, or undefined. */
  get(key: StorageKey): Promise<Uint8Array | undefined>;
  /**
   * Every entry whose key starts with `prefix` (the key itself included), in key order;
   * with `from`, only those whose key is at or after `from`; with `before`, only those whose
   * key sorts before `before`.
   */
  range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]>;
  /** Applies the operations atomically and durably, in order. */
  batch(ops: readonly StorageOp[]): Promise<void>;
  /** Releases the adapter's resources; later calls fail. */
  close(): Promise<void>;
  /**
   * Optional, for an adapter whose writes are done when the call returns (in memory): `batch`
   * without a promise, throwing where `batch` would reject. A database then writes without
   * awaiting, which costs a replica that receives a change at a time much less.
   */
  readonly batchNow?: ((ops: readonly StorageOp[]) => void) | undefined;
}

export function compareKeys(a: StorageKey, b: StorageKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function hasPrefix(key: StorageKey, prefix: StorageKey): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** A key element that sorts numerically: fixed-width base-36, up to 2^53. */
export function ordinalKey(n: number): string {
  return n.toString(36).padStart(11, '0');
}
