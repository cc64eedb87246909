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

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function isHash(s: string): boolean {
  return s.length === 2 * HASH_BYTES && /^[0-9a-f]+$/.test(s);
}
