import type { StorageKey } from '@weft/core';

/**
 * Storage keys as SQLite BLOBs whose byte order (SQLite compares BLOBs with memcmp, the
 * shorter first when one is a prefix of the other) is exactly core's `compareKeys` order.
 *
 * Each key part is written as its UTF-16 code units, big-endian, then a 0x00 0x00
 * terminator. Big-endian code units compare by memcmp as the code units compare, and every
 * unit is at least 0x0001 (key parts never contain NUL: `validateOp` refuses them), so the
 * terminator sorts below any unit: a part that is a prefix of another sorts first, and a key
 * that is a prefix of another sorts first. Lone surrogates are kept as they are.
 *
 * A key starts with `prefix` exactly when its encoding starts with the prefix's encoding
 * (units are 2-byte aligned and a terminator is never part of a unit), so a prefix range is
 * the byte range [enc(prefix), enc(prefix) with its last byte incremented). The last byte is
 * always the terminator's 0x00, so the increment never carries.
 */
export function encodeKey(key: StorageKey): Buffer {
  let size = 0;
  for (const part of key) size += 2 * part.length + 2;
  const out = Buffer.alloc(size);
  let offset = 0;
  for (const part of key) {
    offset += out.write(part, offset, 'utf16le');
    offset += 2; // the terminator: Buffer.alloc already zeroed it
  }
  // Written little-endian, swapped in place to big-endian (the terminators are symmetric).
  return out.swap16();
}

export function decodeKey(bytes: Uint8Array): string[] {
  const units = Buffer.from(bytes).swap16().toString('utf16le');
  const parts = units.split('\u0000');
  parts.pop(); // the empty string after the last terminator
  return parts;
}

/** The byte range [lower, upper) of the keys under `prefix`; `upper` undefined: no bound. */
export function prefixBounds(prefix: StorageKey): { lower: Buffer; upper: Buffer | undefined } {
  const lower = encodeKey(prefix);
  if (lower.length === 0) return { lower, upper: undefined };
  const upper = Buffer.from(lower);
  upper[upper.length - 1] = 1;
  return { lower, upper };
}

/**
 * A key that stored keys compare with exactly as they compare with `key`, and that has no
 * NUL in it. Stored keys have no NUL, so a part `a + '\0' + rest` is passed by exactly the
 * parts greater than `a`, whose least is `a + '\u0001'`; what follows that part no longer
 * matters. Lets `range(prefix, from)` accept any `from`, as the reference adapter does.
 */
export function withoutNul(key: StorageKey): StorageKey {
  const i = key.findIndex((part) => part.includes('\u0000'));
  if (i < 0) return key;
  const part = key[i]!;
  return [...key.slice(0, i), `${part.slice(0, part.indexOf('\u0000'))}\u0001`];
}
