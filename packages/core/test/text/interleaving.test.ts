import { describe, expect, test } from 'vitest';
import { TextCrdt, type TextOp } from '../../src/index.js';
import { iterations, withSeed } from '../helpers/prng.js';
import { boundary, randomText } from './helpers/edits.js';

// Non-interleaving (Weidner & Kleppmann, "The Art of the Fugue", sections 2 and 4): text that
// replicas type concurrently at the same place ends up as whole blocks, one replica's after the
// other's, whether it was typed forwards, backwards or both. Concurrent siblings are ordered by
// actor id, smaller first.

/** Replicas that start from `base`, make their edits, then exchange all ops. */
function concurrently(base: string, edits: ((doc: TextCrdt) => void)[]): string[] {
  const origin = new TextCrdt('origin');
  const baseOps: TextOp[] = [];
  const first = origin.insert(0, base);
  if (first) baseOps.push(first);
  const docs = edits.map((_, i) => {
    const doc = new TextCrdt(`replica-${String.fromCharCode(97 + i)}`);
    for (const op of baseOps) doc.apply(op);
    return doc;
  });
  const made = docs.map((doc, i) => {
    const ops: TextOp[] = [];
    const insert = doc.insert.bind(doc);
    const del = doc.delete.bind(doc);
    const recording = Object.assign(Object.create(doc) as TextCrdt, {
      insert: (pos: number, text: string) => {
        const op = insert(pos, text);
        if (op) ops.push(op);
        return op;
      },
      delete: (pos: number, len: number) => {
        const op = del(pos, len);
        if (op) ops.push(op);
        return op;
      },
    });
    edits[i]!(recording);
    return ops;
  });
  docs.forEach((doc, i) => {
    made.forEach((ops, j) => {
      if (i !== j) for (const op of ops) doc.apply(op);
    });
  });
  const texts = docs.map((d) => d.toString());
  for (const t of texts) expect(t).toBe(texts[0]);
  return texts;
}

const typeForward = (pos: number, text: string) => (doc: TextCrdt) => {
  for (let i = 0; i < text.length; i++) doc.insert(pos + i, text[i]!);
};
const typeBackward = (pos: number, text: string) => (doc: TextCrdt) => {
  for (let i = text.length - 1; i >= 0; i--) doc.insert(pos, text[i]!);
};

describe('concurrent typing at the same position is not interleaved', () => {
  test('forward typing into an empty document', () => {
    const [merged] = concurrently('', [typeForward(0, 'abc'), typeForward(0, 'xyz')]);
    expect(merged).toBe('abcxyz');
  });

  test('forward typing inside text', () => {
    const [merged] = concurrently('Hello world', [
      typeForward(5, ', dear'),
      typeForward(5, ' there'),
    ]);
    expect(merged).toBe('Hello, dear there world');
  });

  test('backward typing (each character at the same position)', () => {
    const [merged] = concurrently('', [typeBackward(0, 'abc'), typeBackward(0, 'xyz')]);
    expect(merged).toBe('abcxyz');
    const [inside] = concurrently('[]', [typeBackward(1, 'abc'), typeBackward(1, 'xyz')]);
    expect(inside).toBe('[abcxyz]');
  });

  test('forward against backward', () => {
    const [merged] = concurrently('<>', [typeForward(1, 'abc'), typeBackward(1, 'xyz')]);
    expect(merged).toBe('<abcxyz>');
  });

  test('mixed: a word, then back to its start to add a prefix', () => {
    // Each types "world", moves to the start of it and types "hello ".
    const mixed = (word: string, prefix: string) => (doc: TextCrdt) => {
      typeForward(0, word)(doc);
      typeForward(0, prefix)(doc);
    };
    const [merged] = concurrently('', [mixed('world', 'hello '), mixed('there', 'hi ')]);
    expect(merged).toBe('hello worldhi there');
  });

  test('the shopping-list example: concurrent items, each typed and then corrected', () => {
    const edit = (item: string, fix: [number, number, string]) => (doc: TextCrdt) => {
      typeForward(doc.length, item)(doc);
      doc.delete(fix[0], fix[1]);
      typeForward(fix[0], fix[2])(doc);
    };
    const [merged] = concurrently('milk\n', [
      edit('eggs\n', [5, 4, 'bread']),
      edit('cheese\n', [5, 1, 'C']),
    ]);
    expect(merged).toBe('milk\nbread\nCheese\n');
  });

  test('three replicas, forward and backward', () => {
    const [merged] = concurrently('--', [
      typeForward(1, 'aaa'),
      typeBackward(1, 'bbb'),
      typeForward(1, 'ccc'),
    ]);
    expect(merged).toBe('-aaabbbccc-');
  });
});

test("random edits confined to each replica's own region stay in blocks", () => {
  // Every replica edits only the text it typed itself, starting at one shared position, with
  // inserts and deletes anywhere in its region. Merged, the regions must appear whole, one
  // after another, between the text before and after the position.
  withSeed('packages/core/test/text/interleaving.test.ts', 'random edits confined', (rng) => {
    for (let round = 0; round < iterations(150, 2000); round++) {
      const n = 2 + rng.int(3);
      const base = rng.chance(0.3) ? '' : randomText(rng, 6, ['x', 'y', 'z', '😀']);
      const at = boundary(base, rng.int(base.length + 1));
      const alphabets = ['ab😀', 'cd𝄞', 'ef', 'gh'].map((s) => [...s]);
      const regions: string[] = [];
      const merged = concurrently(
        base,
        Array.from({ length: n }, (_, i) => (doc: TextCrdt) => {
          let len = 0;
          for (let k = 0; k < 5 + rng.int(15); k++) {
            const text = doc.toString().slice(at, at + len);
            if (len > 0 && rng.chance(0.3)) {
              const pos = boundary(text, rng.int(len));
              const end = Math.max(boundary(text, Math.min(len, pos + 1 + rng.int(3))), pos);
              const cut =
                end > pos ? end : Math.min(len, pos + (text.charCodeAt(pos) >= 0xd800 ? 2 : 1));
              doc.delete(at + pos, cut - pos);
              len -= cut - pos;
            } else {
              const add = randomText(rng, 3, alphabets[i]!);
              doc.insert(at + boundary(text, rng.int(len + 1)), add);
              len += add.length;
            }
          }
          regions.push(doc.toString().slice(at, at + len));
        }),
      )[0]!;
      expect(merged.slice(0, at)).toBe(base.slice(0, at));
      expect(merged.slice(merged.length - (base.length - at))).toBe(base.slice(at));
      const middle = merged.slice(at, merged.length - (base.length - at));
      // The regions use disjoint alphabets: their order in the merged text is the order of
      // their first characters.
      const order = regions
        .map((r, i) => ({ r, i, first: r.length === 0 ? -1 : middle.indexOf(r[0]!) }))
        .filter((x) => x.r.length > 0)
        .sort((a, b) => a.first - b.first);
      expect(middle).toBe(order.map((x) => x.r).join(''));
    }
  });
});
