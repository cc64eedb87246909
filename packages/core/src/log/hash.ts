import { hexOf } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import { sha256 } from './sha256.js';

/** A SHA-256 digest as 64 lowercase hex characters: the id of a run in the change DAG. */
export type Hash = string;

export const HASH_BYTES = 32;

export function sha256Hex(bytes: Uint8Array): Hash {
  return bytesToHex(sha256(bytes));
}

/** Bytes taken at a time (their char codes go to String.fromCharCode as arguments). */
const HEX_CHUNK = 1024;

export function bytesToHex(bytes: Uint8Array): string {
  if (bytes.length <= HEX_CHUNK) return hexOf(bytes, 0, bytes.length);
  let out = '';
  for (let from = 0; from < bytes.length; from += HEX_CHUNK)
    out += hexOf(bytes, from, Math.min(HEX_CHUNK, bytes.length - from));
  return out;
}

/** Bytes of lowercase hex (a Hash, checked by `isHash` where it came from outside). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2)
    out[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
  return out;
}

/** Writes a hash's 32 bytes into `target` at `at`. */
export function hexInto(target: Uint8Array, at: number, hash: Hash): void {
  for (let i = 0, j = 0; i < HASH_BYTES; i++, j += 2)
    target[at + i] = (nibble(hash.charCodeAt(j)) << 4) | nibble(hash.charCodeAt(j + 1));
}

/** Scratch for `writeHash`: a hash's bytes, overwritten by each call. */
const hashBytes = new Uint8Array(HASH_BYTES);

/** Writes a hash's 32 bytes (without allocating them, as `hexToBytes` would). */
export function writeHash(w: Writer, hash: Hash): void {
  hexInto(hashBytes, 0, hash);
  w.raw(hashBytes);
}

/** '0'–'9' are 48–57, 'a'–'f' are 97–102. */
function nibble(code: number): number {
  return code < 58 ? code - 48 : code - 87;
}

export function isHash(s: string): boolean {
  return s.length === 2 * HASH_BYTES && /^[0-9a-f]+$/.test(s);
}
