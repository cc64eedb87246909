import {
  compareKeys,
  type StorageAdapter,
  type StorageEntry,
  type StorageKey,
  type StorageOp,
} from './adapter.js';

/** Values up to this size are copied into shared slabs: 4 KiB, each next twice as large. */
const SMALL_VALUE_BYTES = 1024;
const FIRST_SLAB_BYTES = 4 * 1024;
const MAX_SLAB_BYTES = 64 * 1024;

/**
 * Storage in memory: the reference adapter, a test aid, and the right choice for data that
 * may vanish with the process. Values are copied in and out, so callers cannot alias them.
 * A database's log keeps one small entry per run, so each entry is lean: the value under its
 * key's JSON alone (parsed back only when a range returns it), and small values are copied
 * into shared slabs rather than each into an ArrayBuffer of its own. (A slab lives while any
 * of its values does; Weft overwrites small values rarely, so little of it goes unused.)
 */
export class MemoryStorage implements StorageAdapter {
  private readonly data = new Map<string, Uint8Array>();
  private slab = new Uint8Array(0);
  private slabUsed = 0;
  private closed = false;

  async get(key: StorageKey): Promise<Uint8Array | undefined> {
    this.check();
    return this.data.get(encodeKey(key))?.slice();
  }

  async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    this.check();
    const under = prefixTest(prefix);
    const out: StorageEntry[] = [];
    for (const [encoded, data] of this.data) {
      if (!under(encoded)) continue;
      const key: StorageKey = JSON.parse(encoded);
      if (from && compareKeys(key, from) < 0) continue;
      if (before && compareKeys(key, before) >= 0) continue;
      out.push({ key, data: data.slice() });
    }
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    this.check();
    for (const op of ops) validateOp(op);
    for (const op of ops) {
      if (op.op === 'put') this.data.set(encodeKey(op.key), this.copy(op.data));
      else if (op.op === 'delete') this.data.delete(encodeKey(op.key));
      else {
        const under = prefixTest(op.prefix);
        for (const k of this.data.keys()) if (under(k)) this.data.delete(k);
      }
    }
  }

  private copy(data: Uint8Array): Uint8Array {
    if (data.length > SMALL_VALUE_BYTES) return data.slice();
    if (this.slabUsed + data.length > this.slab.length) {
      // Small at first: a store that keeps little (many databases in one process) wastes little.
      const size = Math.min(MAX_SLAB_BYTES, Math.max(FIRST_SLAB_BYTES, 2 * this.slab.length));
      this.slab = new Uint8Array(size);
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + data.length);
    out.set(data);
    this.slabUsed += data.length;
    return out;
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

/**
 * Whether an encoded key has `prefix`: it is the prefix's JSON, or continues it with a comma
 * (a quote that ends an element is never escaped, one inside an element always is).
 */
function prefixTest(prefix: StorageKey): (encoded: string) => boolean {
  if (prefix.length === 0) return () => true;
  const whole = encodeKey(prefix);
  const start = `${whole.slice(0, -1)},`;
  return (encoded) => encoded === whole || encoded.startsWith(start);
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
