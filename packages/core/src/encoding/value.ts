import { DecodeError, InvalidValueError } from '../errors.js';
import { decodeEnvelope, encodeEnvelope, Tag } from './envelope.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/** The values Weft stores in registers and sets: JSON plus byte arrays. */
export type Value =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | Value[]
  | { [key: string]: Value };

/** Deeper values are refused on both sides, so a decoder can never overflow the stack. */
export const MAX_VALUE_DEPTH = 64;

enum ValueTag {
  Null = 0,
  False = 1,
  True = 2,
  Int = 3,
  Float = 4,
  String = 5,
  Bytes = 6,
  Array = 7,
  Object = 8,
}

const INT_LIMIT = 2 ** 52;

/** Writes a value canonically: object keys sorted, so equal values give equal bytes. */
export function writeValue(w: Writer, v: Value, depth = 0): void {
  if (depth > MAX_VALUE_DEPTH) {
    throw new InvalidValueError(`value nested deeper than ${MAX_VALUE_DEPTH}`);
  }
  if (v === null) w.u8(ValueTag.Null);
  else if (typeof v === 'boolean') w.u8(v ? ValueTag.True : ValueTag.False);
  else if (typeof v === 'number') writeNumber(w, v);
  else if (typeof v === 'string') {
    w.u8(ValueTag.String);
    w.string(v);
  } else if (v instanceof Uint8Array) {
    w.u8(ValueTag.Bytes);
    w.bytes(v);
  } else if (Array.isArray(v)) {
    w.u8(ValueTag.Array);
    w.varuint(v.length);
    for (const item of v) writeValue(w, item, depth + 1);
  } else if (typeof v === 'object') writeObject(w, v, depth);
  else throw new InvalidValueError(`cannot store a value of type ${typeof v}`);
}

function writeNumber(w: Writer, n: number): void {
  if (Number.isInteger(n) && Math.abs(n) < INT_LIMIT && !Object.is(n, -0)) {
    w.u8(ValueTag.Int);
    w.varint(n);
  } else {
    w.u8(ValueTag.Float);
    w.f64(n);
  }
}

function writeObject(w: Writer, v: { [key: string]: Value }, depth: number): void {
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const name = proto?.constructor?.name ?? 'a class';
    throw new InvalidValueError(`cannot store an instance of ${name}; use plain objects`);
  }
  const keys = Object.keys(v).sort();
  w.u8(ValueTag.Object);
  w.varuint(keys.length);
  for (const key of keys) {
    const item = v[key];
    if (item === undefined) throw new InvalidValueError(`field "${key}" is undefined`);
    w.string(key);
    writeValue(w, item, depth + 1);
  }
}

/**
 * Sets `target[key] = value` as an own data property. A key named `__proto__` is data like any
 * other: plain assignment would set the object's prototype instead.
 */
export function setOwn(target: { [key: string]: unknown }, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}

export function readValue(r: Reader, depth = 0): Value {
  if (depth > MAX_VALUE_DEPTH) r.fail(`value nested deeper than ${MAX_VALUE_DEPTH}`);
  const tag = r.u8();
  switch (tag) {
    case ValueTag.Null:
      return null;
    case ValueTag.False:
      return false;
    case ValueTag.True:
      return true;
    case ValueTag.Int: {
      const n = r.varint();
      if (Math.abs(n) >= INT_LIMIT) r.fail('integer out of range');
      return n;
    }
    case ValueTag.Float:
      return r.f64();
    case ValueTag.String:
      return r.string();
    case ValueTag.Bytes:
      return r.bytes().slice();
    case ValueTag.Array: {
      const n = r.count();
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case ValueTag.Object: {
      const n = r.count(2);
      const out: { [key: string]: Value } = {};
      let previous: string | undefined;
      for (let i = 0; i < n; i++) {
        const key = r.string();
        if (previous !== undefined && !(key > previous)) r.fail('object keys out of order');
        previous = key;
        const value = readValue(r, depth + 1);
        setOwn(out, key, value);
      }
      return out;
    }
    default:
      return r.fail(`unknown value tag ${tag}`);
  }
}

/** Structural equality of values (object key order ignored; numbers by Object.is). */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || Object.is(a, b);
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valueEquals(item, b[i]!));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && valueEquals(a[k]!, b[k]!));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A canonical string for a value, usable as a Map key: equal values, equal keys. Reversible
 * with `keyToValue`. (Each byte of the canonical encoding becomes one UTF-16 unit.)
 */
export function valueKey(v: Value): string {
  const w = new Writer(16);
  writeValue(w, v);
  const bytes = w.finish();
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function keyToBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) bytes[i] = key.charCodeAt(i);
  return bytes;
}

/** Inverse of `valueKey`. */
export function keyToValue(key: string): Value {
  const r = new Reader(keyToBytes(key));
  const v = readValue(r);
  r.end();
  return v;
}

/** Whether `key` is the `valueKey` of some value (canonical, one byte per UTF-16 unit). */
export function isValueKey(key: string): boolean {
  let v: Value;
  try {
    v = keyToValue(key);
  } catch (error) {
    if (error instanceof DecodeError) return false;
    throw error;
  }
  return valueKey(v) === key;
}

export function encodeValue(v: Value): Uint8Array {
  return encodeEnvelope(Tag.value, (w) => writeValue(w, v));
}

export function decodeValue(bytes: Uint8Array): Value {
  return decodeEnvelope(bytes, Tag.value, (r) => readValue(r));
}

/**
 * A total order on values, for display and sorting: null < booleans < numbers < strings <
 * bytes < arrays < objects; numbers numerically (NaN last), strings by UTF-16 code units,
 * arrays and objects element by element (objects by sorted key, then value).
 */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'boolean' || typeof a === 'number') return compareNumbers(Number(a), Number(b));
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (a instanceof Uint8Array)
    return compareSequences([...a], [...(b as Uint8Array)], compareNumbers);
  if (Array.isArray(a)) return compareSequences(a, b as Value[], compareValues);
  if (a === null) return 0;
  const ea = Object.keys(a).sort();
  const eb = Object.keys(b as object).sort();
  const byKeys = compareSequences(ea, eb, (x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (byKeys !== 0) return byKeys;
  const bo = b as { [key: string]: Value };
  return compareSequences(ea, eb, (x, y) => compareValues(a[x]!, bo[y]!));
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Uint8Array) return 4;
  return Array.isArray(v) ? 5 : 6;
}

function compareNumbers(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  if (x !== y) return x < y ? -1 : 1;
  return Object.is(x, -0) === Object.is(y, -0) ? 0 : Object.is(x, -0) ? -1 : 1;
}

function compareSequences<T>(
  a: readonly T[],
  b: readonly T[],
  cmp: (x: T, y: T) => number,
): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
