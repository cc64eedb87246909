import { sha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 digest as 64 lowercase hex characters: the id of a run in the change DAG. */
export type Hash = string;

export const HASH_BYTES = 32;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function sha256Hex(bytes: Uint8Array): Hash {
  return bytesToHex(sha256(bytes));
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** Bytes of lowercase hex (a Hash, checked by `isHash` where it came from outside). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < out.length; i++, j += 2)
    out[i] = (nibble(hex.charCodeAt(j)) << 4) | nibble(hex.charCodeAt(j + 1));
  return out;
}

/** '0'–'9' are 48–57, 'a'–'f' are 97–102. */
function nibble(code: number): number {
  return code < 58 ? code - 48 : code - 87;
}

export function isHash(s: string): boolean {
  return s.length === 2 * HASH_BYTES && /^[0-9a-f]+$/.test(s);
}
