import {
  compareKeys,
  hasPrefix,
  type StorageAdapter,
  type StorageEntry,
  type StorageKey,
  type StorageOp,
} from './adapter.js';

/**
 * Storage in memory: the reference adapter, a test aid, and the right choice for data that
 * may vanish with the process. Values are copied in and out, so callers cannot alias them.
 */
export class MemoryStorage implements StorageAdapter {
  private readonly data = new Map<string, StorageEntry>();
  private closed = false;

  async get(key: StorageKey): Promise<Uint8Array | undefined> {
    this.check();
    return this.data.get(encodeKey(key))?.data.slice();
  }

  async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    this.check();
    const out: StorageEntry[] = [];
    for (const entry of this.data.values()) {
      if (!hasPrefix(entry.key, prefix)) continue;
      if (from && compareKeys(entry.key, from) < 0) continue;
      if (before && compareKeys(entry.key, before) >= 0) continue;
      out.push({ key: entry.key, data: entry.data.slice() });
    }
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    this.check();
    for (const op of ops) validateOp(op);
    for (const op of ops) {
      if (op.op === 'put')
        this.data.set(encodeKey(op.key), { key: [...op.key], data: op.data.slice() });
      else if (op.op === 'delete') this.data.delete(encodeKey(op.key));
      else
        for (const [k, entry] of this.data)
          if (hasPrefix(entry.key, op.prefix)) this.data.delete(k);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('this MemoryStorage is closed');
  }
}

function encodeKey(key: StorageKey): string {
  return JSON.stringify(key);
}

/** Rejects ops an adapter must not store; shared by adapters so they all refuse alike. */
export function validateOp(op: StorageOp): void {
  const key = op.op === 'deleteRange' ? op.prefix : op.key;
  if (
    !Array.isArray(key) ||
    key.some((part) => typeof part !== 'string' || part.includes('\u0000'))
  ) {
    throw new TypeError('a storage key is an array of strings without NUL characters');
  }
  if (op.op !== 'deleteRange' && key.length === 0)
    throw new TypeError('a storage key needs at least one part');
  if (op.op === 'put' && !(op.data instanceof Uint8Array))
    throw new TypeError('storage values are Uint8Array');
}
