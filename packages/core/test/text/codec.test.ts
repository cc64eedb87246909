import { expect, test } from 'vitest';
import {
  DecodeError,
  decodeListOps,
  decodeTextOps,
  encodeListOps,
  encodeTextOps,
  ListCrdt,
  MissingDependencyError,
  TextCrdt,
  type TextOp,
} from '../../src/index.js';
import { iterations, type Prng, withSeed } from '../helpers/prng.js';
import { boundary, randomEdit } from './helpers/edits.js';

const FILE = 'packages/core/test/text/codec.test.ts';

/** A replica with some concurrent history: two actors, tombstones, surrogate pairs. */
function sample(rng: Prng): { doc: TextCrdt; ops: TextOp[] } {
  const a = new TextCrdt('alice');
  const b = new TextCrdt('bob');
  const ops: TextOp[] = [];
  // Each side's ops reach the other in order, some of them late (so edits are concurrent).
  const pending = new Map<TextCrdt, TextOp[]>([
    [a, []],
    [b, []],
  ]);
  for (let k = 0; k < 5 + rng.int(25); k++) {
    const [from, to] = rng.chance(0.5) ? [a, b] : [b, a];
    for (const op of randomEdit(rng, from)) {
      ops.push(op);
      pending.get(to)!.push(op);
    }
    const queue = pending.get(from)!;
    for (const op of queue.splice(0, rng.int(queue.length + 1))) from.apply(op);
  }
  for (const [doc, queue] of pending) for (const op of queue) doc.apply(op);
  return { doc: a, ops };
}

/** Decoding must give a working replica or a DecodeError: nothing else, ever. */
function decodeOrDecodeError(bytes: Uint8Array): void {
  try {
    const doc = TextCrdt.decode(bytes, 'fuzz');
    // Whatever decoded must be usable.
    const text = doc.toString();
    expect(text.length).toBe(doc.length);
    doc.insert(0, 'x');
    doc.insert(doc.length, 'y');
    const now = doc.toString();
    const end = boundary(now, Math.min(3, now.length - 1));
    if (end > 1) doc.delete(1, end - 1);
    TextCrdt.decode(doc.encode(), 'again');
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
}

function decodeOpsOrDecodeError(bytes: Uint8Array): void {
  try {
    decodeTextOps(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
}

function mutate(rng: Prng, bytes: Uint8Array): Uint8Array {
  const out = [...bytes];
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(out.length + 1);
    const roll = rng.int(4);
    if (roll === 0 && out.length > 0) out[Math.min(at, out.length - 1)] = rng.int(256);
    else if (roll === 1) out.splice(at, 0, rng.int(256));
    else if (roll === 2) out.splice(at, 1 + rng.int(3));
    else out.length = Math.min(out.length, at);
  }
  return Uint8Array.from(out);
}

test('encode/decode round trips (text, list, ops)', () => {
  withSeed(FILE, 'round trips', (rng) => {
    for (let round = 0; round < iterations(200, 3000); round++) {
      const { doc, ops } = sample(rng);
      const bytes = doc.encode();
      const loaded = TextCrdt.decode(bytes, 'carol');
      expect(loaded.toString()).toBe(doc.toString());
      expect(loaded.encode()).toEqual(bytes);
      expect(loaded.version()).toEqual(doc.version());
      const opsBack = decodeTextOps(encodeTextOps(ops));
      expect(opsBack).toEqual(ops);
      const replay = new TextCrdt('dave');
      for (const op of opsBack) replay.apply(op);
      expect(replay.toString()).toBe(doc.toString());
    }
  });
  const list = new ListCrdt('a');
  const listOps = [list.insert(0, [1, 'two', { three: [3] }, null, true])!, list.delete(1, 1)!];
  expect(ListCrdt.decode(list.encode(), 'b').toArray()).toEqual([1, { three: [3] }, null, true]);
  expect(decodeListOps(encodeListOps(listOps))).toEqual(listOps);
  expect(TextCrdt.decode(new TextCrdt('a').encode(), 'b').toString()).toBe('');
});

test('decode fuzz: random and mutated bytes give a replica or a DecodeError', () => {
  withSeed(FILE, 'decode fuzz', (rng) => {
    const valid = Array.from({ length: 20 }, () => sample(rng));
    for (let round = 0; round < iterations(3000, 50_000); round++) {
      if (rng.chance(0.2)) {
        const random = rng.bytes(rng.int(64));
        if (rng.chance(0.5) && random.length > 2) {
          random[0] = 1; // format version
          random[1] = rng.chance(0.5) ? 24 : 26; // text / textOps tags
        }
        decodeOrDecodeError(random);
        decodeOpsOrDecodeError(random);
      } else {
        const { doc, ops } = rng.pick(valid);
        decodeOrDecodeError(mutate(rng, doc.encode()));
        decodeOpsOrDecodeError(mutate(rng, encodeTextOps(ops)));
      }
    }
  });
});

test('decode refuses inconsistent states', () => {
  const doc = new TextCrdt('a');
  doc.insert(0, 'hello');
  const bytes = doc.encode();
  expect(() => TextCrdt.decode(bytes.subarray(0, bytes.length - 1), 'b')).toThrow(DecodeError);
  expect(() => TextCrdt.decode(Uint8Array.of(...bytes, 0), 'b')).toThrow(DecodeError);
  expect(() => ListCrdt.decode(bytes, 'b')).toThrow(DecodeError);
});

test('delta fuzz: bad deltas throw DecodeError or MissingDependencyError and change nothing', () => {
  withSeed(FILE, 'delta fuzz', (rng) => {
    for (let round = 0; round < iterations(1500, 20_000); round++) {
      const { doc } = sample(rng);
      const target = new TextCrdt('target');
      // The target has all of the history or none of it, and edits of its own.
      if (rng.chance(0.5)) target.applyDelta(doc.encodeSince({}));
      for (let k = 0; k < 3; k++) randomEdit(rng, target);
      const before = target.toString();
      const version = JSON.stringify(target.version());
      const delta = doc.encodeSince(rng.chance(0.5) ? target.version() : {});
      const bytes = rng.chance(0.1) ? rng.bytes(rng.int(40)) : mutate(rng, delta);
      try {
        target.applyDelta(bytes);
        expect(target.toString().length).toBe(target.length);
      } catch (error) {
        if (!(error instanceof DecodeError || error instanceof MissingDependencyError)) throw error;
        expect(target.toString()).toBe(before);
        expect(JSON.stringify(target.version())).toBe(version);
      }
    }
  });
});
