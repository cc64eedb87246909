// The total order of query results and index entries, with "missing" as the smallest value.
import { compareValues, type Value } from '../encoding/value.js';
import type { OrderKey, SortValue } from './ast.js';
import { type Doc, getField } from './doc.js';

/** missing < null < booleans < numbers < strings < bytes < arrays < objects. */
export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return Math.sign(compareValues(a, b));
}

/**
 * The type bracket of a value, numbered as `compareValues` orders types. Range operators only
 * compare values of one bracket.
 */
export function typeRank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Uint8Array) return 4;
  return Array.isArray(v) ? 5 : 6;
}

/** A doc's sort key: its value for each order term (undefined where missing). */
export function sortKeyOf(doc: Doc, order: readonly OrderKey[]): SortValue[] {
  return order.map((term) => getField(doc, term.path));
}

/** Compares two sort keys of the same order, term by term, honouring each direction. */
export function compareSortKeys(
  a: readonly SortValue[],
  b: readonly SortValue[],
  order: readonly OrderKey[],
): number {
  for (let i = 0; i < order.length; i++) {
    const c = compareSortValues(a[i], b[i]);
    if (c !== 0) return order[i]!.desc ? -c : c;
  }
  return 0;
}
