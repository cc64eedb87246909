import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import { type Value, valueKey } from '../encoding/value.js';
import type { CrdtType } from '../kernel/crdt.js';
import {
  readValueSet,
  type ValueSet,
  valueSetEquals,
  valueSetUnion,
  writeValueSet,
} from './value-set.js';

/** Grow-only set. */
export type GSet = ValueSet;

export function gSetAdd(_state: GSet, element: Value): GSet {
  return new Map([[valueKey(element), element]]);
}

export function gSetAddFull(state: GSet, element: Value): GSet {
  const out = new Map(state);
  out.set(valueKey(element), element);
  return out;
}

export function gSetHas(state: GSet, element: Value): boolean {
  return state.has(valueKey(element));
}

export const GSetType: CrdtType<GSet> = {
  name: 'GSet',
  empty: () => new Map(),
  join: valueSetUnion,
  equals: valueSetEquals,
  write: writeValueSet,
  read: readValueSet,
  encode: (state) => encodeEnvelope(Tag.gSet, (w) => writeValueSet(w, state)),
  decode: (bytes) => decodeEnvelope(bytes, Tag.gSet, readValueSet),
};
