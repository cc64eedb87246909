import type { Reader } from '../encoding/reader.js';
import { Writer } from '../encoding/writer.js';

// A small LZ77 compressor for the content block of an encoded text (English text shrinks to
// about 45%). The stream is tokens until the output is complete: a literal length (varuint),
// that many literal bytes, then, unless the output is complete, a match: length - 4 (varuint)
// and distance - 1 (varuint), copied from the output already written (it may overlap).
// The decoder is total: every length and distance is checked before it is used, and the
// output size is declared up front and bounded by the input (at most MAX_RATIO bytes out per
// byte in), so bad bytes give a DecodeError, never a huge allocation.

const MIN_MATCH = 4;
const MAX_MATCH = 1 << 16;
const WINDOW = 1 << 16;
const HASH_BITS = 15;
const CHAIN = 32;
/** The most output bytes per input byte the decoder accepts (the encoder stays below it). */
export const MAX_RATIO = 255;

/** Compresses `src`; returns undefined when that would not save anything worth having. */
export function lzCompress(src: Uint8Array): Uint8Array | undefined {
  const n = src.length;
  if (n < 64) return undefined;
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(n);
  const w = new Writer(n >> 1);
  let literalStart = 0;
  let i = 0;
  while (i < n) {
    let best = 0;
    let distance = 0;
    if (i + MIN_MATCH <= n) {
      const limit = Math.min(MAX_MATCH, n - i);
      for (
        let c = head[hash(src, i)]!, d = CHAIN;
        c >= 0 && d > 0 && i - c <= WINDOW;
        c = prev[c]!, d--
      ) {
        let l = 0;
        while (l < limit && src[c + l] === src[i + l]) l++;
        if (l > best) {
          best = l;
          distance = i - c;
          if (l === limit) break;
        }
      }
    }
    if (best >= MIN_MATCH) {
      w.varuint(i - literalStart);
      w.raw(src.subarray(literalStart, i));
      w.varuint(best - MIN_MATCH);
      w.varuint(distance - 1);
      for (let k = 0; k < best; k++) insert(src, head, prev, i + k);
      i += best;
      literalStart = i;
    } else {
      insert(src, head, prev, i);
      i++;
    }
  }
  w.varuint(n - literalStart);
  w.raw(src.subarray(literalStart));
  if (w.length >= n - (n >> 4) || n > w.length * MAX_RATIO) return undefined;
  return w.finish();
}

// Functions of the module, not closures made per call: the compressor runs once per state
// encoded, and a new closure each time threw its optimized code away ("wrong call target").
function hash(src: Uint8Array, i: number): number {
  return (
    (Math.imul(
      src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24),
      0x9e3779b1,
    ) >>>
      (32 - HASH_BITS)) &
    ((1 << HASH_BITS) - 1)
  );
}

/** Links position `i` into the hash chains (if a match can start there). */
function insert(src: Uint8Array, head: Int32Array, prev: Int32Array, i: number): void {
  if (i + MIN_MATCH > src.length) return;
  const h = hash(src, i);
  prev[i] = head[h]!;
  head[h] = i;
}

/** Reads a compressed block of `size` bytes (checked against MAX_RATIO by the caller). */
export function lzDecompress(r: Reader, compressed: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  let at = 0;
  const varuint = (): number => {
    let result = 0;
    let scale = 1;
    for (let k = 0; k < 8; k++) {
      if (at >= compressed.length) r.fail('compressed text ends early');
      const byte = compressed[at++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
    return r.fail('varint longer than 8 bytes in compressed text');
  };
  for (;;) {
    const literals = varuint();
    if (literals > size - pos || literals > compressed.length - at) r.fail('bad literal length');
    out.set(compressed.subarray(at, at + literals), pos);
    at += literals;
    pos += literals;
    if (pos === size) break;
    const length = varuint() + MIN_MATCH;
    const distance = varuint() + 1;
    if (length > size - pos || length > MAX_MATCH) r.fail('bad match length');
    if (distance > pos) r.fail('bad match distance');
    for (let k = 0; k < length; k++, pos++) out[pos] = out[pos - distance]!;
  }
  if (at !== compressed.length) r.fail('trailing bytes in compressed text');
  return out;
}
