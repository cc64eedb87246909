import type { Value } from '../encoding/value.js';

export type PlainObject = { [field: string]: Value | undefined };

export function isPlainObject(v: unknown): v is PlainObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
    return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
