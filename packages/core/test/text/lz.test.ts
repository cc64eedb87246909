import { expect, test } from 'vitest';
import { Reader } from '../../src/encoding/reader.js';
import { DecodeError, TextCrdt } from '../../src/index.js';
import { lzCompress, lzDecompress, MAX_RATIO } from '../../src/text/lz.js';
import { iterations, withSeed } from '../helpers/prng.js';
import { boundary } from './helpers/edits.js';

const FILE = 'packages/core/test/text/lz.test.ts';

test('lz: random, repetitive and text-like inputs round-trip', () => {
  withSeed(FILE, 'lz round trip', (rng) => {
    for (let round = 0; round < iterations(300, 5000); round++) {
      const n = rng.int(5000);
      const src = new Uint8Array(n);
      const alphabet = 1 + rng.int(rng.chance(0.5) ? 4 : 256);
      for (let i = 0; i < n; i++) {
        // Random bytes, with copies of earlier stretches mixed in.
        if (i > 10 && rng.chance(0.05)) {
          const from = rng.int(i);
          const len = Math.min(n - i, 1 + rng.int(200));
          for (let k = 0; k < len; k++) src[i + k] = src[from + k]!;
          i += len - 1;
        } else src[i] = rng.int(alphabet);
      }
      const packed = lzCompress(src);
      if (packed === undefined) continue;
      expect(packed.length).toBeLessThan(n);
      expect(n).toBeLessThanOrEqual(packed.length * MAX_RATIO);
      expect(lzDecompress(new Reader(packed), packed, n)).toEqual(src);
    }
  });
});

test('lz: corrupt streams throw DecodeError', () => {
  withSeed(FILE, 'lz corrupt', (rng) => {
    const src = new TextEncoder().encode(
      'the quick brown fox jumps over the lazy dog. '.repeat(40),
    );
    const packed = lzCompress(src)!;
    for (let round = 0; round < iterations(2000, 20_000); round++) {
      const bad = packed.slice();
      for (let k = 0; k < 1 + rng.int(3); k++) bad[rng.int(bad.length)] = rng.int(256);
      const cut = rng.chance(0.3) ? bad.subarray(0, rng.int(bad.length)) : bad;
      const size = rng.chance(0.8) ? src.length : rng.int(2 * src.length);
      try {
        expect(lzDecompress(new Reader(cut), cut, size)).toHaveLength(size);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
  });
});

test('a large text is stored compressed; mutated encodings decode or throw DecodeError', () => {
  withSeed(FILE, 'large text mutated', (rng) => {
    const doc = new TextCrdt('a');
    doc.insert(0, 'Some text that repeats itself, more or less. '.repeat(50));
    for (let k = 0; k < 50; k++) doc.insert(boundary(doc.toString(), rng.int(doc.length)), 'x😀y');
    const text = doc.toString();
    const from = boundary(text, 100);
    doc.delete(from, boundary(text, 400) - from);
    const bytes = doc.encode();
    expect(bytes.length).toBeLessThan(doc.length / 2);
    expect(TextCrdt.decode(bytes, 'b').toString()).toBe(doc.toString());
    for (let round = 0; round < iterations(1000, 20_000); round++) {
      const bad = bytes.slice();
      for (let k = 0; k < 1 + rng.int(3); k++) bad[rng.int(bad.length)] = rng.int(256);
      try {
        TextCrdt.decode(bad, 'c').toString();
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
  });
});
