import type { Reader } from '../encoding/reader.js';
import { compareValues, readValue, type Value, valueKey, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';

/** A plain set of Values keyed by canonical encoding: the building block of GSet and 2P-Set. */
export type ValueSet = ReadonlyMap<string, Value>;

export function valueSetUnion(a: ValueSet, b: ValueSet): ValueSet {
  if (b.size === 0) return a;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, v);
  return out;
}

export function valueSetEquals(a: ValueSet, b: ValueSet): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

export function writeValueSet(w: Writer, set: ValueSet): void {
  const keys = [...set.keys()].sort();
  w.varuint(keys.length);
  for (const k of keys) writeValue(w, set.get(k)!);
}

export function readValueSet(r: Reader): ValueSet {
  const n = r.count();
  const out = new Map<string, Value>();
  let previous: string | undefined;
  for (let i = 0; i < n; i++) {
    const v = readValue(r);
    const k = valueKey(v);
    if (previous !== undefined && !(k > previous)) r.fail('set elements out of order');
    previous = k;
    out.set(k, v);
  }
  return out;
}

export function valueSetValues(set: ValueSet): Value[] {
  return [...set.values()].sort(compareValues);
}
