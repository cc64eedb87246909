// The part of a filter an index can answer by position: equality on a prefix of its fields,
// then range conditions on the next field. Each bound classifies a key as below, inside or
// above the matching run of entries; along the index order the classification only grows,
// so two binary searches find the run.
import { compareValues, type Value } from '../encoding/value.js';
import { unexpectedCase } from '../errors.js';
import type { SortValue } from './ast.js';
import { compareSortValues, typeRank } from './sort-key.js';

export type RangeOp = 'lt' | 'lte' | 'gt' | 'gte' | 'startsWith';

export type RangeCondition =
  | { readonly op: 'lt' | 'lte' | 'gt' | 'gte'; readonly value: Value }
  | { readonly op: 'startsWith'; readonly value: string };

export interface IndexBounds {
  /** Equality on the index's first fields, in order. */
  readonly equal: readonly { readonly field: string; readonly value: Value }[];
  /** Conditions (ANDed) on the field after the equality prefix. */
  readonly range?: { readonly field: string; readonly conditions: readonly RangeCondition[] };
}

/** -1: the key sorts before the matching entries, 0: it matches, 1: it sorts after them. */
export type Position = -1 | 0 | 1;

/** Where an index key (values in index field order) falls relative to `bounds`. */
export function positionOf(bounds: IndexBounds, key: readonly SortValue[]): Position {
  for (const [i, { value }] of bounds.equal.entries()) {
    const c = compareSortValues(key[i], value);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  if (bounds.range === undefined) return 0;
  return rangePosition(key[bounds.equal.length], bounds.range.conditions);
}

/**
 * The conditions are intervals of the value order; their "below" parts are down-sets and
 * their "above" parts up-sets. Below any of them → -1, else above any → 1, else inside. That
 * is monotone even when the intersection is empty.
 */
export function rangePosition(v: SortValue, conditions: readonly RangeCondition[]): Position {
  let above = false;
  for (const condition of conditions) {
    const p = conditionPosition(v, condition);
    if (p < 0) return -1;
    if (p > 0) above = true;
  }
  return above ? 1 : 0;
}

function conditionPosition(v: SortValue, condition: RangeCondition): Position {
  // A missing field sorts first and satisfies no range condition.
  if (v === undefined) return -1;
  const rank = typeRank(v);
  const bracket = typeRank(condition.value);
  if (rank !== bracket) return rank < bracket ? -1 : 1;
  if (condition.op === 'startsWith') {
    const s = v as string;
    if (s.startsWith(condition.value)) return 0;
    // Strings with a given prefix are contiguous in code-unit order.
    return s < condition.value ? -1 : 1;
  }
  const c = compareValues(v, condition.value);
  switch (condition.op) {
    case 'gt':
      return c > 0 ? 0 : -1;
    case 'gte':
      return c >= 0 ? 0 : -1;
    case 'lt':
      return c < 0 ? 0 : 1;
    case 'lte':
      return c <= 0 ? 0 : 1;
    default:
      return unexpectedCase(condition);
  }
}
