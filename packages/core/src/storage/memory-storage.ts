import {
  compareKeys,
  type StorageAdapter,
  type StorageEntry,
  type StorageKey,
  type StorageOp,
} from './adapter.js';
import { OrdinalSequences } from './ordinal-sequences.js';

/** Values up to this size are copied into shared slabs: 4 KiB, each next twice as large. */
const SMALL_VALUE_BYTES = 1024;
const FIRST_SLAB_BYTES = 4 * 1024;
const MAX_SLAB_BYTES = 64 * 1024;
/** An immutable value in a buffer this large lies in a block shared by many (encoding/slab.ts). */
const SHARED_BLOCK_BYTES = 16 * 1024;
/** Small values' places per page (3 KiB each). */
const PLACE_SHIFT = 8;
const PLACE_MASK = (1 << PLACE_SHIFT) - 1;

/**
 * Storage in memory: the reference adapter, a test aid, and the right choice for data that
 * may vanish with the process. Values are copied in and out, so callers cannot alias them
 * (except immutable ones, see StorageOp, which are kept where they lie).
 * A database's log keeps one small entry per run, so each entry is lean: the value under its
 * key's parts joined (split again only when a range returns it), and small values are copied
 * into shared slabs rather than each into an ArrayBuffer of its own, and found by a number
 * (where it lies: a table outside the JS heap) rather than a view object, which the garbage
 * collector would trace. (Slabs are kept while the storage is; Weft overwrites small values
 * rarely, so little of them goes unused.)
 */
export class MemoryStorage implements StorageAdapter {
  /** Per encoded key: a large value, or the number of a small value's place. */
  private readonly data = new Map<string, Uint8Array | number>();
  /** The same for keys that end in an ordinal (a log's entries), without a string per key. */
  private readonly sequences = new OrdinalSequences<Uint8Array | number>();
  /** Keys ending in an ordinal that are in `data` (too far past the others for `sequences`). */
  private sparseOrdinals = 0;
  /** The last key's parts before its ordinal, and them encoded (a log writes under one). */
  private lastPrefix: StorageKey = [];
  private lastPrefixEncoded = '';
  /** Buffers, not views: a view per shared block (for each store) would cost more than a run. */
  private readonly slabs: ArrayBufferLike[] = [];
  /** The slab small values are copied into now. */
  private ownSlabBytes: Uint8Array | undefined;
  /** The slab that small values are copied into now (-1: none yet), and how full it is. */
  private ownSlab = -1;
  private slabUsed = 0;
  /** The shared block that the last immutable value kept lay in, and its slab number. */
  private lastBlock: ArrayBufferLike | undefined;
  private lastBlockSlab = -1;
  /**
   * Where small value n lies: page n >>> PLACE_SHIFT holds its slab, offset and length at
   * 3 × (n & PLACE_MASK). Pages are added, never copied: a table that doubled would stall
   * each store of a long log, and every replica of one space at the same write.
   */
  private readonly placePages: Int32Array[] = [];
  private placeCount = 0;
  private closed = false;

  async get(key: StorageKey): Promise<Uint8Array | undefined> {
    this.check();
    if (!storable(key)) return undefined; // (a key batch refuses is never there)
    const value = this.lookup(key);
    return value === undefined ? undefined : this.read(value);
  }

  async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    this.check();
    const out: StorageEntry[] = [];
    if (!storable(prefix)) return out;
    const under = prefixTest(prefix);
    const add = (encoded: string, data: Uint8Array | number) => {
      if (!under(encoded)) return;
      const key: StorageKey = encoded.split(SEPARATOR);
      if (from && compareKeys(key, from) < 0) return;
      if (before && compareKeys(key, before) >= 0) return;
      out.push({ key, data: this.read(data) });
    };
    for (const [encoded, data] of this.data) add(encoded, data);
    for (const [prefix, ordinal, data] of this.sequences.entries())
      add(prefix + SEPARATOR + ordinal, data);
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    this.write(ops);
  }

  /**
   * `batch`, done when it returns (see StorageAdapter.batchNow). Offered only while `batch` is
   * this class's own: a subclass that overrides `batch` (to watch, delay or fail writes) is
   * called for every write.
   */
  get batchNow(): ((ops: readonly StorageOp[]) => void) | undefined {
    return this.batch === MemoryStorage.prototype.batch ? (ops) => this.write(ops) : undefined;
  }

  private write(ops: readonly StorageOp[]): void {
    this.check();
    for (let i = 0; i < ops.length; i++) validateOp(ops[i]!);
    for (const op of ops) {
      if (op.op === 'put') this.put(op.key, this.keep(op.data, op.immutable));
      else if (op.op === 'delete') this.remove(op.key);
      else {
        const under = prefixTest(op.prefix);
        for (const k of this.data.keys()) if (under(k)) this.data.delete(k);
        this.sequences.deleteWhere((prefix, ordinal) => under(prefix + SEPARATOR + ordinal));
      }
    }
  }

  private put(key: StorageKey, value: Uint8Array | number): void {
    const n = ordinalAtEnd(key);
    if (n >= 0 && this.sequences.set(this.prefixOf(key), n, value)) {
      if (this.sparseOrdinals > 0) this.data.delete(encodeKey(key));
      return;
    }
    const encoded = encodeKey(key);
    if (n >= 0 && !this.data.has(encoded)) this.sparseOrdinals += 1;
    this.data.set(encoded, value);
  }

  private remove(key: StorageKey): void {
    const n = ordinalAtEnd(key);
    if (n >= 0) this.sequences.delete(this.prefixOf(key), n);
    this.data.delete(encodeKey(key));
  }

  private lookup(key: StorageKey): Uint8Array | number | undefined {
    const n = ordinalAtEnd(key);
    const value = n >= 0 ? this.sequences.get(this.prefixOf(key), n) : undefined;
    return value ?? this.data.get(encodeKey(key));
  }

  /** The key's parts before its last, encoded (the same as the last key's: no string made). */
  private prefixOf(key: StorageKey): string {
    const last = this.lastPrefix;
    let same = last.length === key.length - 1;
    for (let i = 0; same && i < last.length; i++) same = last[i] === key[i];
    if (!same) {
      this.lastPrefix = key.slice(0, -1);
      this.lastPrefixEncoded = encodeKey(this.lastPrefix);
    }
    return this.lastPrefixEncoded;
  }

  /** A copy of a stored value. */
  private read(value: Uint8Array | number): Uint8Array {
    if (typeof value !== 'number') return value.slice();
    const page = this.placePages[value >>> PLACE_SHIFT]!;
    const i = 3 * (value & PLACE_MASK);
    return new Uint8Array(this.slabs[page[i]!]!, page[i + 1]!, page[i + 2]!).slice();
  }

  /**
   * A value to keep: a copy of a large one, or the place of a small one, copied into a slab
   * of ours or, when immutable and already in a shared block (see encoding/slab.ts), kept there.
   */
  private keep(data: Uint8Array, immutable: boolean | undefined): Uint8Array | number {
    if (data.length > SMALL_VALUE_BYTES) return data.slice();
    if (immutable && data.buffer.byteLength >= SHARED_BLOCK_BYTES)
      return this.place(this.blockOf(data), data.byteOffset, data.length);
    let slab = this.ownSlabBytes;
    if (!slab || this.slabUsed + data.length > slab.length) {
      // Small at first: a store that keeps little (many databases in one process) wastes little.
      const size = Math.min(MAX_SLAB_BYTES, Math.max(FIRST_SLAB_BYTES, 2 * (slab?.length ?? 0)));
      slab = new Uint8Array(size);
      this.ownSlabBytes = slab;
      this.ownSlab = this.slabs.push(slab.buffer) - 1;
      this.slabUsed = 0;
    }
    slab.set(data, this.slabUsed);
    this.slabUsed += data.length;
    return this.place(this.ownSlab, this.slabUsed - data.length, data.length);
  }

  /** The number of the slab that is `data`'s whole buffer (the last one, mostly). */
  private blockOf(data: Uint8Array): number {
    const buffer = data.buffer;
    if (buffer === this.lastBlock) return this.lastBlockSlab;
    this.lastBlock = buffer;
    this.lastBlockSlab = this.slabs.push(buffer) - 1;
    return this.lastBlockSlab;
  }

  /** Records where a small value lies; returns its number. */
  private place(slab: number, at: number, length: number): number {
    const place = this.placeCount++;
    const i = 3 * (place & PLACE_MASK);
    if (i === 0) this.placePages.push(new Int32Array(3 * (PLACE_MASK + 1)));
    const page = this.placePages[place >>> PLACE_SHIFT]!;
    page[i] = slab;
    page[i + 1] = at;
    page[i + 2] = length;
    return place;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('this MemoryStorage is closed');
  }
}

/** Parts never hold it (validateOp), so joining on it keeps keys apart. */
const SEPARATOR = '\u0000';

/** A key as one string: its parts joined (a flat string, which a Map keeps as it is). */
function encodeKey(key: StorageKey): string {
  return key.join(SEPARATOR);
}

/** The ordinal a key ends in (see OrdinalSequences), or -1. */
function ordinalAtEnd(key: StorageKey): number {
  return key.length > 1 ? OrdinalSequences.ordinalOf(key[key.length - 1]!) : -1;
}

function isKeyPart(part: unknown): boolean {
  return typeof part === 'string' && !part.includes(SEPARATOR);
}

function storable(key: StorageKey): boolean {
  return key.every((part) => !part.includes(SEPARATOR));
}

/** Whether an encoded key has `prefix`: it is the prefix, or continues it with a separator. */
function prefixTest(prefix: StorageKey): (encoded: string) => boolean {
  if (prefix.length === 0) return () => true;
  const whole = encodeKey(prefix);
  const start = whole + SEPARATOR;
  return (encoded) => encoded === whole || encoded.startsWith(start);
}

/** Rejects ops an adapter must not store; shared by adapters so they all refuse alike. */
export function validateOp(op: StorageOp): void {
  const key = op.op === 'deleteRange' ? op.prefix : op.key;
  if (!Array.isArray(key) || !key.every(isKeyPart)) {
    throw new TypeError('a storage key is an array of strings without NUL characters');
  }
  if (op.op !== 'deleteRange' && key.length === 0)
    throw new TypeError('a storage key needs at least one part');
  if (op.op === 'put' && !(op.data instanceof Uint8Array))
    throw new TypeError('storage values are Uint8Array');
}
