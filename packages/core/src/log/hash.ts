import type { Writer } from '../encoding/writer.js';
import { sha256 } from './sha256.js';

/** A SHA-256 digest as 64 lowercase hex characters: the id of a run in the change DAG. */
export type Hash = string;

export const HASH_BYTES = 32;

/** The char codes of each byte's two hex digits: byte b at 2b and 2b + 1. */
const HEX_CODES = Array.from({ length: 512 }, (_, i) =>
  (i >> 1)
    .toString(16)
    .padStart(2, '0')
    .charCodeAt(i & 1),
);

export function sha256Hex(bytes: Uint8Array): Hash {
  return bytesToHex(sha256(bytes));
}

/** Bytes taken at a time: their char codes go to String.fromCharCode as arguments. */
const HEX_CHUNK = 1024;
const codes: number[] = [];

export function bytesToHex(bytes: Uint8Array): string {
  // One string made from char codes: adding two-character pieces would allocate one per byte.
  let out = '';
  for (let from = 0; from < bytes.length; from += HEX_CHUNK) {
    const to = Math.min(bytes.length, from + HEX_CHUNK);
    codes.length = 2 * (to - from);
    for (let i = from, j = 0; i < to; i++, j += 2) {
      const b = 2 * bytes[i]!;
      codes[j] = HEX_CODES[b]!;
      codes[j + 1] = HEX_CODES[b + 1]!;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Bytes of lowercase hex (a Hash, checked by `isHash` where it came from outside). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2)
    out[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
  return out;
}

/** Scratch for `writeHash`: a hash's bytes, overwritten by each call. */
const hashBytes = new Uint8Array(HASH_BYTES);

/** Writes a hash's 32 bytes (without allocating them, as `hexToBytes` would). */
export function writeHash(w: Writer, hash: Hash): void {
  for (let i = 0, j = 0; i < HASH_BYTES; i++, j += 2)
    hashBytes[i] = (nibble(hash.charCodeAt(j)) << 4) | nibble(hash.charCodeAt(j + 1));
  w.raw(hashBytes);
}

/** '0'–'9' are 48–57, 'a'–'f' are 97–102. */
function nibble(code: number): number {
  return code < 58 ? code - 48 : code - 87;
}

export function isHash(s: string): boolean {
  return s.length === 2 * HASH_BYTES && /^[0-9a-f]+$/.test(s);
}
