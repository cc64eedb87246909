import { InvalidValueError } from '../errors.js';

const utf8 = new TextEncoder();
const TWO_POW_52 = 2 ** 52;

/**
 * A growable byte buffer with the primitives every Weft encoding is built from:
 * LEB128 varints (unsigned and zigzag), float64, length-prefixed bytes and UTF-8 strings.
 */
export class Writer {
  private buf: Uint8Array;
  /** Made on first use (most encodings hold no float); dropped when the buffer grows. */
  private view: DataView | undefined;
  private pos = 0;
  /** Actors written so far, in index order; see `actor()` and `envelope.ts`. */
  readonly actors: string[] = [];
  /** Index of each actor, made once a table outgrows a linear scan. */
  private actorIndex: Map<string, number> | undefined;

  constructor(initialSize = 64) {
    this.buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  /** Empties the writer (bytes and actor table) for reuse; see `takeWriter`. */
  reset(): void {
    this.pos = 0;
    // A Map.clear per reuse allocated a fresh table: a fifth of a keystroke's time.
    // (Emptied only when not empty: setting an array's length frees its storage.)
    if (this.actors.length > 0) this.actors.length = 0;
    this.actorIndex = undefined;
  }

  /** The size of the buffer (what a reused writer holds on to). */
  get capacity(): number {
    return this.buf.length;
  }

  /** The bytes written so far, without copying (valid until the next write). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Copies the bytes written so far into `target` at `offset` (small ones without a view). */
  copyTo(target: Uint8Array, offset: number): void {
    const n = this.pos;
    if (n > 64) {
      target.set(this.buf.subarray(0, n), offset);
      return;
    }
    const buf = this.buf;
    for (let i = 0; i < n; i++) target[offset + i] = buf[i]!;
  }

  /** The bytes written so far (a copy; the writer can be reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = undefined;
  }

  u8(byte: number): void {
    this.ensure(1);
    this.buf[this.pos++] = byte;
  }

  /** Unsigned LEB128 of a safe integer (0 … 2^53-1). */
  varuint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`varuint needs a safe non-negative integer, got ${n}`);
    }
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** Zigzag LEB128 of an integer with |n| < 2^52. */
  varint(n: number): void {
    if (!Number.isInteger(n) || Math.abs(n) >= TWO_POW_52) {
      throw new RangeError(`varint needs an integer with |n| < 2^52, got ${n}`);
    }
    this.varuint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(x: number): void {
    this.ensure(8);
    this.view ??= new DataView(this.buf.buffer);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** Raw bytes with no length prefix. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** `length` raw bytes of `bytes` from `at` (a few, as a hash: copied without a view). */
  rawAt(bytes: Uint8Array, at: number, length: number): void {
    this.ensure(length);
    const buf = this.buf;
    for (let i = 0, j = this.pos; i < length; i++, j++) buf[j] = bytes[at + i]!;
    this.pos += length;
  }

  /** Length-prefixed bytes. */
  bytes(bytes: Uint8Array): void {
    this.varuint(bytes.length);
    this.raw(bytes);
  }

  /** An actor id, as its index in this writer's actor table (written once by the envelope). */
  actor(id: string): void {
    this.varuint(this.actorIndexOf(id));
  }

  private actorIndexOf(id: string): number {
    const actors = this.actors;
    if (this.actorIndex === undefined) {
      const found = actors.indexOf(id);
      if (found >= 0) return found;
      actors.push(id);
      if (actors.length > 8) this.actorIndex = new Map(actors.map((a, i) => [a, i]));
      return actors.length - 1;
    }
    let index = this.actorIndex.get(id);
    if (index === undefined) {
      index = actors.length;
      actors.push(id);
      this.actorIndex.set(id, index);
    }
    return index;
  }

  /** Length-prefixed UTF-8. Lone surrogates are not valid text and are refused. */
  string(s: string): void {
    // Worst case 3 bytes per UTF-16 unit; reserve for the prefix too.
    this.ensure(s.length * 3 + 8);
    if (s.length < 128) {
      // Short ASCII (most keys, ids and values): one pass, one length byte; else start over.
      const buf = this.buf;
      const start = this.pos;
      buf[start] = s.length;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[start + 1 + i] = c;
      }
      if (i === s.length) {
        this.pos = start + 1 + i;
        return;
      }
    }
    if (!s.isWellFormed()) throw new InvalidValueError('string contains a lone surrogate');
    const start = this.pos;
    // Encode after a maximal-size prefix slot, then move if the prefix is shorter.
    const slot = varuintSize(s.length * 3);
    const { written } = utf8.encodeInto(s, this.buf.subarray(start + slot));
    const prefix = varuintSize(written);
    if (prefix !== slot) this.buf.copyWithin(start + prefix, start + slot, start + slot + written);
    this.varuint(written);
    this.pos = start + prefix + written;
  }
}

export function varuintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/**
 * Writers for bytes that are copied out once written (envelope bodies, change payloads), kept
 * for reuse: allocating a buffer per small message costs more than writing it.
 */
const spares: Writer[] = [];
const MAX_SPARES = 8;
const MAX_SPARE_CAPACITY = 1 << 20;

/** An empty writer, reused if one is spare. Give it back with `releaseWriter` when done. */
export function takeWriter(): Writer {
  return spares.pop() ?? new Writer(256);
}

/** Takes back a writer whose bytes were copied out; nothing may use it after this. */
export function releaseWriter(w: Writer): void {
  if (spares.length >= MAX_SPARES || w.capacity > MAX_SPARE_CAPACITY) return;
  w.reset();
  spares.push(w);
}
