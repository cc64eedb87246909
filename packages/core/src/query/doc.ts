// Documents as the query engine sees them, and how a dot path reaches into one.
import type { Value } from '../encoding/value.js';
import { QueryError } from '../errors.js';
import type { SortValue } from './ast.js';

/** A materialized document: plain values, with a string `id` that is unique in its collection. */
export type Doc = { readonly [field: string]: Value };

/**
 * Splits a field path at its dots. Throws a QueryError naming `at` for an empty path or
 * an empty segment ('a..b', '.a').
 */
export function parseFieldPath(field: unknown, at: string): readonly string[] {
  if (typeof field !== 'string' || field === '') {
    throw new QueryError(`${at}: a field path must be a non-empty string, got ${describe(field)}`);
  }
  const path = field.split('.');
  if (path.includes('')) {
    throw new QueryError(
      `${at}: invalid field path "${field}" (empty segment); separate nested fields with single dots, like "address.city"`,
    );
  }
  return Object.freeze(path);
}

/**
 * The value at `path`, or undefined when the field is missing: an absent key, or a step
 * through something that is not a plain object (arrays and bytes are not traversed).
 */
export function getField(doc: Doc, path: readonly string[]): SortValue {
  let current: SortValue = doc;
  for (const key of path) {
    if (!isObjectValue(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function isObjectValue(v: SortValue): v is { [key: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A short description of an input for an error message. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Uint8Array) return 'bytes';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'object') return 'an object';
  return typeof x;
}
