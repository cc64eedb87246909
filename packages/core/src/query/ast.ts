// The compiled query: a frozen tree of plain nodes tagged with `kind`. `compileQuery` builds
// it from a `QuerySpec`; `matches`, the planner and the executor read it.
import type { Value } from '../encoding/value.js';

/** A field's value for ordering and indexing: a Value, or undefined when the field is missing. */
export type SortValue = Value | undefined;

interface FieldNode {
  /** The field path as written ('address.city'). */
  readonly field: string;
  /** The same path split at the dots (['address', 'city']). */
  readonly path: readonly string[];
}

export type CompareOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

export interface CompareFilter extends FieldNode {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly value: Value;
}

export interface InFilter extends FieldNode {
  readonly kind: 'in';
  readonly values: readonly Value[];
}

export interface ContainsFilter extends FieldNode {
  readonly kind: 'contains';
  readonly value: Value;
}

export interface StartsWithFilter extends FieldNode {
  readonly kind: 'startsWith';
  readonly prefix: string;
}

export interface ExistsFilter extends FieldNode {
  readonly kind: 'exists';
  readonly exists: boolean;
}

/** Every child holds; an empty `and` matches every doc. */
export interface AndFilter {
  readonly kind: 'and';
  readonly filters: readonly Filter[];
}

/** Some child holds; an empty `or` matches no doc. */
export interface OrFilter {
  readonly kind: 'or';
  readonly filters: readonly Filter[];
}

export interface NotFilter {
  readonly kind: 'not';
  readonly filter: Filter;
}

/** A compiled where clause. Semantics: see `Condition` and `Where`. */
export type Filter =
  | CompareFilter
  | InFilter
  | ContainsFilter
  | StartsWithFilter
  | ExistsFilter
  | AndFilter
  | OrFilter
  | NotFilter;

/** A filter node on one field (everything but and/or/not). */
export type FieldFilter = Exclude<Filter, AndFilter | OrFilter | NotFilter>;

export interface OrderKey {
  readonly field: string;
  readonly path: readonly string[];
  readonly desc: boolean;
}

export interface CompiledQuery {
  readonly kind: 'query';
  /** undefined: every doc matches. */
  readonly filter: Filter | undefined;
  /**
   * The total order of the result: the `orderBy` terms up to the first `id` term, always
   * ending with an `id` term (appended in the direction of the last term when not given).
   */
  readonly order: readonly OrderKey[];
  readonly limit: number | undefined;
  readonly offset: number;
  /** The decoded cursor: the previous page's last sort key, one value per `order` term. */
  readonly after: readonly SortValue[] | undefined;
}
