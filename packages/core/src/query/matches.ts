// Evaluates a compiled filter against one document: the reference semantics every index
// scan must agree with.
import { compareValues, type Value, valueEquals } from '../encoding/value.js';
import { unexpectedCase } from '../errors.js';
import type { CompareOp, Filter, SortValue } from './ast.js';
import { type Doc, getField } from './doc.js';
import { typeRank } from './sort-key.js';

/** Whether `doc` satisfies `filter` (undefined: every doc does). */
export function matches(filter: Filter | undefined, doc: Doc): boolean {
  if (filter === undefined) return true;
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => matches(f, doc));
    case 'or':
      return filter.filters.some((f) => matches(f, doc));
    case 'not':
      return !matches(filter.filter, doc);
    case 'compare':
      return compareMatches(filter.op, getField(doc, filter.path), filter.value);
    case 'in': {
      const v = getField(doc, filter.path);
      return v !== undefined && filter.values.some((x) => valueEquals(v, x));
    }
    case 'contains': {
      const v = getField(doc, filter.path);
      return Array.isArray(v) && v.some((item) => valueEquals(item, filter.value));
    }
    case 'startsWith': {
      const v = getField(doc, filter.path);
      return typeof v === 'string' && v.startsWith(filter.prefix);
    }
    case 'exists':
      return (getField(doc, filter.path) !== undefined) === filter.exists;
    default:
      return unexpectedCase(filter);
  }
}

/** One comparison; `v` undefined is a missing field. */
export function compareMatches(op: CompareOp, v: SortValue, bound: Value): boolean {
  if (op === 'eq') return v !== undefined && valueEquals(v, bound);
  if (op === 'ne') return v === undefined || !valueEquals(v, bound);
  if (v === undefined || typeRank(v) !== typeRank(bound)) return false;
  const c = compareValues(v, bound);
  switch (op) {
    case 'lt':
      return c < 0;
    case 'lte':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'gte':
      return c >= 0;
    default:
      return unexpectedCase(op);
  }
}
