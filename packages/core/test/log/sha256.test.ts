import { sha256 as noble } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { bytesToHex } from '../../src/log/hash.js';
import { sha256 } from '../../src/log/sha256.js';
import { checkProperty } from '../helpers/property.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('the FIPS 180-2 examples', () => {
  expect(bytesToHex(sha256(utf8('abc')))).toBe(
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  expect(bytesToHex(sha256(new Uint8Array(0)))).toBe(
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  expect(bytesToHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
  expect(bytesToHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  );
});

checkProperty(
  'the hash of two parts is the hash of their concatenation, as @noble/hashes computes it',
  fc.uint8Array({ maxLength: 300 }),
  fc.nat(),
  (bytes, cut) => {
    const at = cut % (bytes.length + 1);
    const expected = bytesToHex(noble(bytes));
    expect(bytesToHex(sha256(bytes))).toBe(expected);
    expect(bytesToHex(sha256(bytes.subarray(0, at), bytes.subarray(at)))).toBe(expected);
  },
);

test('every length around the block and padding boundaries', () => {
  const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff);
  for (let n = 0; n <= 200; n++) {
    const part = bytes.subarray(0, n);
    expect(bytesToHex(sha256(part))).toBe(bytesToHex(noble(part)));
  }
});
