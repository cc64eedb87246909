import type { Value } from '../encoding/value.js';
import { InvalidValueError } from '../errors.js';
import { isPlainObject, type PlainObject } from './plain.js';

/** Fields nest at most this deep (the byte formats allow more, so every write stays readable). */
export const MAX_FIELD_DEPTH = 32;

/**
 * The leaves an insert writes, in the order it writes them: nested non-empty plain objects
 * are walked key by key in sorted key order (the order of the canonical value encoding, so a
 * document decoded from bytes walks the same way), everything else (scalars, arrays, bytes,
 * empty objects) is a leaf. `insertOps` and the packed form of documents (node.ts) both follow
 * this order, since a leaf's dot is its position in it.
 */
export function forEachInsertLeaf(
  fields: PlainObject,
  visit: (path: string[], value: Value) => void,
  path: readonly string[] = [],
): void {
  if (path.length >= MAX_FIELD_DEPTH) {
    throw new InvalidValueError(
      `field "${path.join('.')}" nests objects deeper than ${MAX_FIELD_DEPTH} levels`,
    );
  }
  const keys = Object.keys(fields);
  if (keys.length > 1) keys.sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = fields[key];
    if (value === undefined) continue;
    const at = path.length === 0 ? [key] : path.concat(key);
    if (typeof value === 'object' && isPlainObject(value) && hasKeys(value))
      forEachInsertLeaf(value, visit, at);
    else visit(at, value);
  }
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}
