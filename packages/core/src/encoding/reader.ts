import { DecodeError } from '../errors.js';

// ignoreBOM: a leading U+FEFF is a character of the string, kept as Writer wrote it; each
// string then has one encoding, so what decodes encodes back to the same bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Strings up to this many bytes are read without the decoder when they are ASCII. */
const SHORT = 32;

/**
 * Reads what Writer wrote. Total: every method either returns a value or throws DecodeError;
 * lengths and counts are checked against the bytes that remain before anything is allocated.
 */
export class Reader {
  private pos = 0;
  /** Made on first use: most inputs hold no float, and a reader is made per message. */
  private view: DataView | undefined;
  /** The actor table of the envelope being read; see `actor()`. */
  actors: readonly string[] = [];

  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(message: string): never {
    throw new DecodeError(message, this.pos);
  }

  /** Throws unless every byte was consumed. */
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.remaining} trailing bytes`);
  }

  u8(): number {
    if (this.pos >= this.buf.length) this.fail('unexpected end of input');
    return this.buf[this.pos++]!;
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (byte === 0 && i > 0) this.fail('overlong varint');
        if (result > Number.MAX_SAFE_INTEGER) this.fail('varint exceeds 2^53');
        return result;
      }
      scale *= 0x80;
    }
    return this.fail('varint longer than 8 bytes');
  }

  /** Zigzag, as Writer.varint writes it: |n| < 2^52, so whatever decodes can be re-encoded. */
  varint(): number {
    const z = this.varuint();
    const n = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    if (Math.abs(n) >= 2 ** 52) this.fail('varint out of range');
    return n;
  }

  f64(): number {
    if (this.remaining < 8) this.fail('unexpected end of input');
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** A count of items that each take at least `minItemSize` bytes: bounded by what remains. */
  count(minItemSize = 1): number {
    const n = this.varuint();
    if (n * minItemSize > this.remaining) this.fail(`count ${n} exceeds the remaining input`);
    return n;
  }

  raw(length: number): Uint8Array {
    if (length > this.remaining) this.fail(`length ${length} exceeds the remaining input`);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** Skips length-prefixed bytes; returns their length (`bytes().length`, without a view). */
  skipBytes(): number {
    const length = this.varuint();
    if (length > this.remaining) this.fail(`length ${length} exceeds the remaining input`);
    this.pos += length;
    return length;
  }

  /** The next `length` bytes as lowercase hex (a hash), without a view. */
  hex(length: number): string {
    if (length > this.remaining) this.fail(`length ${length} exceeds the remaining input`);
    const out = hexOf(this.buf, this.pos, length);
    this.pos += length;
    return out;
  }

  /** Copies the bytes read from `offset` up to here into `target` at `at`. */
  copySince(offset: number, target: Uint8Array, at: number): void {
    for (let i = offset, j = at; i < this.pos; i++, j++) target[j] = this.buf[i]!;
  }

  /** Length-prefixed bytes (a view into the input, not a copy). */
  bytes(): Uint8Array {
    return this.raw(this.varuint());
  }

  actor(): string {
    const index = this.varuint();
    const id = this.actors[index];
    if (id === undefined) this.fail(`actor index ${index} is not in the actor table`);
    return id;
  }

  string(): string {
    const start = this.pos;
    const length = this.varuint();
    if (length > this.remaining) this.fail(`length ${length} exceeds the remaining input`);
    if (length <= SHORT) {
      const out = internedAscii(this.buf, this.pos, length);
      if (out !== undefined) {
        this.pos += length;
        return out;
      }
    }
    const bytes = this.raw(length);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new DecodeError('invalid UTF-8', start);
    }
  }
}

/**
 * Short ASCII strings as read before: names, ids and actors recur in every change, so each is
 * made once and shared (no garbage, and a Map finds a string it has seen by identity). A
 * table of the last string per hash slot; a miss makes the string and takes the slot.
 */
const INTERNED = new Array<string | undefined>(4096).fill(undefined);
const codes: number[] = [];

/** The ASCII string of `length` bytes at `at`, or undefined if they are not all ASCII. */
function internedAscii(buf: Uint8Array, at: number, length: number): string | undefined {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = at; i < at + length; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return undefined;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  const slot = (hash >>> 0) & (INTERNED.length - 1);
  const known = INTERNED[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known.charCodeAt(i) !== buf[at + i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  codes.length = length;
  for (let i = 0; i < length; i++) codes[i] = buf[at + i]!;
  const made = String.fromCharCode.apply(null, codes);
  INTERNED[slot] = made;
  return made;
}

/** The char codes of each byte's two hex digits: byte b at 2b and 2b + 1. */
const HEX_CODES = Array.from({ length: 512 }, (_, i) =>
  (i >> 1)
    .toString(16)
    .padStart(2, '0')
    .charCodeAt(i & 1),
);

/** Lowercase hex of `length` bytes at `at` (up to 1 KiB: its codes go to fromCharCode). */
export function hexOf(buf: Uint8Array, at: number, length: number): string {
  codes.length = 2 * length;
  for (let i = 0, j = 0; i < length; i++, j += 2) {
    const b = 2 * buf[at + i]!;
    codes[j] = HEX_CODES[b]!;
    codes[j + 1] = HEX_CODES[b + 1]!;
  }
  return String.fromCharCode.apply(null, codes);
}
