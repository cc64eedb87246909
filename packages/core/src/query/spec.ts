// The query language as users write it: plain data, validated and frozen by `compileQuery`.
// Deliberately left out: joins, projections, aggregation, full-text search, regexes, and
// reaching into arrays with a path ('tags.0'); `contains` is the one array operator.
import type { Value } from '../encoding/value.js';

/**
 * The conditions on one field. Several operators in one object are ANDed: `{ gte: 1, lt: 5 }`.
 *
 * - `eq` / `ne`: structural equality (`valueEquals`: numbers by `Object.is`, object key order
 *   ignored). A missing field is not null: `{ eq: null }` does not match a doc without the
 *   field, and `ne` matches every doc where the field is missing.
 * - `lt` / `lte` / `gt` / `gte`: `compareValues`, only between values of the same type
 *   (null, boolean, number, string, bytes, array, object): a number bound never matches a
 *   string, null or a missing field.
 * - `in`: equal (`valueEquals`) to one of the values; `in: []` matches nothing.
 * - `contains`: the field is an array with an element equal to the value.
 * - `startsWith`: the field is a string that starts with the prefix.
 * - `exists`: whether the field is present (a null field is present).
 */
export interface Condition {
  readonly eq?: Value;
  readonly ne?: Value;
  readonly lt?: Value;
  readonly lte?: Value;
  readonly gt?: Value;
  readonly gte?: Value;
  readonly in?: readonly Value[];
  readonly contains?: Value;
  readonly startsWith?: string;
  readonly exists?: boolean;
}

export type Operator = keyof Condition;

/** Every operator a `Condition` may use, in documentation order. */
export const OPERATORS: readonly Operator[] = Object.freeze([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'contains',
  'startsWith',
  'exists',
]);

/**
 * A filter as data. Each key is either a field path or a logical operator; all keys are ANDed.
 *
 * - `{ status: 'open' }`: equality (any value that is not a plain object; for a whole-object
 *   match write `{ address: { eq: { city: 'Oslo' } } }`).
 * - `{ age: { gte: 18, lt: 65 } }`: a `Condition`; its keys must all be operators.
 * - `{ 'address.city': 'Oslo' }`: a dot path reaches into nested objects (not arrays). A path
 *   through a missing field or a non-object makes the field missing.
 * - `{ $and: [w, …] }`, `{ $or: [w, …] }`, `{ $not: w }`; `$and: []` matches every doc and
 *   `$or: []` none.
 *
 * Keys starting with `$` are reserved for the logical operators, so a field named `$x` or
 * one containing a dot cannot be queried.
 */
export type Where = {
  readonly $and?: readonly Where[];
  readonly $or?: readonly Where[];
  readonly $not?: Where;
  readonly [field: string]: Value | Condition | readonly Where[] | Where;
};

/** One sort term; `direction` defaults to 'asc'. */
export interface OrderTerm {
  readonly field: string;
  readonly direction?: 'asc' | 'desc';
}

/**
 * A query over one collection.
 *
 * Rows are ordered by the `orderBy` terms, then by `id` in the direction of the last term
 * (ascending when there is none), so the order is total and reversing every direction
 * reverses the result exactly. A missing field sorts before null (ascending); values of
 * different types sort null < booleans < numbers < strings < bytes < arrays < objects.
 *
 * `after` continues from a previous page: rows strictly after that page's last row, even
 * when docs were inserted or removed in between. `offset` applies after `after`.
 */
export interface QuerySpec {
  readonly where?: Where;
  /** `'age'` ascending, `'-age'` descending, `{ field: 'age', direction: 'desc' }`, or a list. */
  readonly orderBy?: string | OrderTerm | readonly (string | OrderTerm)[];
  /** A positive integer: at most this many rows. */
  readonly limit?: number;
  /** A non-negative integer: rows to skip. */
  readonly offset?: number;
  /** The opaque `nextCursor` of a previous page of the same query. */
  readonly after?: string;
}
