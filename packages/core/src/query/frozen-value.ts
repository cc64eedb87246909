// Query constants are copied into the AST through the canonical codec: that validates them
// (no undefined, functions, class instances, lone surrogates…) and detaches them from the
// caller's objects, so freezing them never freezes user data.
import { keyToValue, type Value, valueKey } from '../encoding/value.js';
import { QueryError, WeftError } from '../errors.js';
import type { SortValue } from './ast.js';

/** A frozen, validated copy of `x`; a QueryError naming `at` when `x` is not a Value. */
export function frozenValue(x: unknown, at: string): Value {
  let copy: Value;
  try {
    copy = keyToValue(valueKey(x as Value));
  } catch (error) {
    if (error instanceof WeftError) throw new QueryError(`${at}: ${error.message}`);
    throw error;
  }
  return deepFreeze(copy);
}

/** Freezes arrays and objects in place (bytes cannot be frozen; they are copies anyway). */
export function deepFreeze<T extends SortValue>(v: T): T {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  for (const item of Array.isArray(v) ? v : Object.values(v)) deepFreeze(item);
  return Object.freeze(v);
}
