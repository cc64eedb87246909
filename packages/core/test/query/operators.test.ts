import { describe, expect, test } from 'vitest';
import { compileQuery, matches, type Where } from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';

const docs: Doc[] = [
  { id: 'a', n: 1, s: 'apple', tags: ['x', 'y'], nested: { city: 'Oslo', zip: 150 }, z: null },
  { id: 'b', n: 2, s: 'banana', tags: [], nested: { city: 'Bergen' } },
  { id: 'c', n: '3', s: 'apricot', tags: ['y', [1]], nested: 'flat' },
  { id: 'd', n: null, tags: 'x' },
  { id: 'e', n: 2.5, s: '', bytes: new Uint8Array([1, 2]), nested: { city: null } },
  { id: 'f', n: true, s: 'Apple', nested: { city: { name: 'Oslo' } } },
];

/** The ids of `docs` a where clause matches, via compileQuery + matches. */
function ids(where: Where): string[] {
  const { filter } = compileQuery({ where });
  return docs.filter((doc) => matches(filter, doc)).map((d) => d.id as string);
}

describe('operators', () => {
  test('a plain value means eq, with valueEquals', () => {
    expect(ids({ n: 2 })).toEqual(['b']);
    expect(ids({ tags: ['x', 'y'] })).toEqual(['a']);
    expect(ids({ bytes: new Uint8Array([1, 2]) })).toEqual(['e']);
    expect(ids({ n: { eq: '3' } })).toEqual(['c']);
    expect(ids({ nested: { eq: { zip: 150, city: 'Oslo' } } })).toEqual(['a']);
  });

  test('a missing field is not null', () => {
    expect(ids({ z: null })).toEqual(['a']);
    expect(ids({ n: null })).toEqual(['d']);
    expect(ids({ z: { exists: false } })).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(ids({ s: { exists: true } })).toEqual(['a', 'b', 'c', 'e', 'f']);
  });

  test('ne matches docs where the field is missing', () => {
    expect(ids({ s: { ne: 'apple' } })).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(ids({ z: { ne: null } })).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  test('ranges are type-bracketed', () => {
    expect(ids({ n: { gt: 1 } })).toEqual(['b', 'e']); // not '3', true, null
    expect(ids({ n: { gte: 1 } })).toEqual(['a', 'b', 'e']);
    expect(ids({ n: { lt: 2 } })).toEqual(['a']);
    expect(ids({ n: { lte: 2 } })).toEqual(['a', 'b']);
    expect(ids({ n: { gt: '2' } })).toEqual(['c']);
    expect(ids({ n: { lte: null } })).toEqual(['d']);
    expect(ids({ s: { gte: 'apple', lt: 'b' } })).toEqual(['a', 'c']);
    expect(ids({ n: { gt: 1, lt: 2.5 } })).toEqual(['b']);
    expect(ids({ tags: { gt: ['x'] } })).toEqual(['a', 'c']); // arrays compare element-wise
  });

  test('in', () => {
    expect(ids({ n: { in: [1, '3', null] } })).toEqual(['a', 'c', 'd']);
    expect(ids({ n: { in: [] } })).toEqual([]);
  });

  test('contains is for arrays', () => {
    expect(ids({ tags: { contains: 'x' } })).toEqual(['a']); // not the string 'x' of d
    expect(ids({ tags: { contains: [1] } })).toEqual(['c']);
  });

  test('startsWith is for strings', () => {
    expect(ids({ s: { startsWith: 'ap' } })).toEqual(['a', 'c']);
    expect(ids({ s: { startsWith: '' } })).toEqual(['a', 'b', 'c', 'e', 'f']);
  });

  test('dot paths reach into nested objects only', () => {
    expect(ids({ 'nested.city': 'Oslo' })).toEqual(['a']);
    expect(ids({ 'nested.city': null })).toEqual(['e']);
    expect(ids({ 'nested.city.name': 'Oslo' })).toEqual(['f']);
    expect(ids({ 'nested.city': { exists: false } })).toEqual(['c', 'd']);
    expect(ids({ 'tags.0': 'x' })).toEqual([]); // arrays are not traversed
  });

  test('several operators and several fields are ANDed', () => {
    expect(ids({ n: { gte: 1, ne: 2 } })).toEqual(['a', 'e']);
    expect(ids({ s: { startsWith: 'a' }, n: 1 })).toEqual(['a']);
  });

  test('$and, $or, $not', () => {
    expect(ids({ $or: [{ n: 1 }, { s: 'banana' }] })).toEqual(['a', 'b']);
    expect(ids({ $and: [{ n: { gt: 0 } }, { n: { lt: 2 } }] })).toEqual(['a']);
    expect(ids({ $not: { n: { gt: 1 } } })).toEqual(['a', 'c', 'd', 'f']);
    expect(ids({ $and: [] })).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(ids({ $or: [] })).toEqual([]);
    expect(ids({ $or: [{ $not: { s: { exists: true } } }, { n: true }] })).toEqual(['d', 'f']);
  });

  test('numbers compare by Object.is for equality, NaN included', () => {
    const special: Doc[] = [
      { id: 'p', v: 0 },
      { id: 'm', v: -0 },
      { id: 'n', v: Number.NaN },
    ];
    const f = (where: Where) =>
      special.filter((d) => matches(compileQuery({ where }).filter, d)).map((d) => d.id);
    expect(f({ v: 0 })).toEqual(['p']);
    expect(f({ v: -0 })).toEqual(['m']);
    expect(f({ v: Number.NaN })).toEqual(['n']);
    expect(f({ v: { gt: 1e308 } })).toEqual(['n']); // NaN sorts after every number
  });
});
