// QuerySpec → CompiledQuery: validation, the total order, limit/offset and the cursor.
import { QueryError } from '../errors.js';
import type { CompiledQuery, OrderKey } from './ast.js';
import { compileWhere, isPlainObject } from './compile-where.js';
import { decodeCursor } from './cursor.js';
import { describe, parseFieldPath } from './doc.js';
import type { QuerySpec } from './spec.js';

const SPEC_KEYS = ['where', 'orderBy', 'limit', 'offset', 'after'];
const ID_PATH: readonly string[] = Object.freeze(['id']);

/**
 * Validates a query and compiles it into a frozen AST. Throws a QueryError saying what is
 * wrong and what to write instead (unknown operator or option, bad limit, a non-array `in`,
 * a malformed cursor or one made for another ordering…).
 */
export function compileQuery(spec: QuerySpec): CompiledQuery {
  if (!isPlainObject(spec)) {
    throw new QueryError(
      `a query must be an object like { where, orderBy, limit }, got ${describe(spec)}`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.includes(key)) {
      throw new QueryError(
        `unknown query option "${key}"; the options are ${SPEC_KEYS.join(', ')}`,
      );
    }
  }
  const filter = compileWhere(spec.where);
  const order = compileOrder(spec.orderBy);
  const limit =
    spec.limit === undefined ? undefined : integer(spec.limit, 'limit', 1, 'a positive integer');
  const offset =
    spec.offset === undefined ? 0 : integer(spec.offset, 'offset', 0, 'a non-negative integer');
  const after = spec.after === undefined ? undefined : decodeCursor(spec.after, order);
  return Object.freeze({ kind: 'query', filter, order, limit, offset, after });
}

function integer(x: unknown, name: string, min: number, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min) {
    const hint = name === 'limit' && x === 0 ? ' (to count matches use countQuery)' : '';
    throw new QueryError(`${name} must be ${what}, got ${describe(x)}${hint}`);
  }
  return x;
}

/** The orderBy terms up to the first `id` term, then an `id` term if there was none. */
function compileOrder(orderBy: unknown): readonly OrderKey[] {
  const terms = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  const order: OrderKey[] = [];
  for (const [i, term] of terms.entries()) {
    const key = compileTerm(term, Array.isArray(orderBy) ? `orderBy[${i}]` : 'orderBy');
    order.push(key);
    if (key.field === 'id') return Object.freeze(order);
  }
  const desc = order.at(-1)?.desc ?? false;
  order.push(Object.freeze({ field: 'id', path: ID_PATH, desc }));
  return Object.freeze(order);
}

function compileTerm(term: unknown, at: string): OrderKey {
  if (typeof term === 'string') {
    const desc = term.startsWith('-');
    const field = desc ? term.slice(1) : term;
    return Object.freeze({ field, path: parseFieldPath(field, at), desc });
  }
  if (!isPlainObject(term)) {
    throw new QueryError(
      `${at} must be a field ('age', '-age' for descending) or { field, direction }, got ${describe(term)}`,
    );
  }
  for (const key of Object.keys(term)) {
    if (key !== 'field' && key !== 'direction') {
      throw new QueryError(`${at}: unknown key "${key}"; an order term is { field, direction }`);
    }
  }
  const { field, direction } = term;
  if (direction !== undefined && direction !== 'asc' && direction !== 'desc') {
    throw new QueryError(`${at}.direction must be 'asc' or 'desc', got ${describe(direction)}`);
  }
  const path = parseFieldPath(field, `${at}.field`);
  return Object.freeze({ field: field as string, path, desc: direction === 'desc' });
}
