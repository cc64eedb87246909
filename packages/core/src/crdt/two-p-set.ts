import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { type Value, valueKey } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import type { CrdtType } from '../kernel/crdt.js';
import {
  readValueSet,
  type ValueSet,
  valueSetEquals,
  valueSetUnion,
  valueSetValues,
  writeValueSet,
} from './value-set.js';

/**
 * Two-phase set: an element can be added, then removed once, for good. Removed elements stay
 * as tombstones (use ORSet when elements come and go).
 */
export interface TwoPSet {
  readonly added: ValueSet;
  readonly removed: ValueSet;
}

const NONE: ValueSet = new Map();

export function twoPSetAdd(_state: TwoPSet, element: Value): TwoPSet {
  return { added: new Map([[valueKey(element), element]]), removed: NONE };
}

/** Delta of removing an element; removing one that was never added is a no-op (empty delta). */
export function twoPSetRemove(state: TwoPSet, element: Value): TwoPSet {
  const key = valueKey(element);
  if (!state.added.has(key)) return { added: NONE, removed: NONE };
  return { added: NONE, removed: new Map([[key, element]]) };
}

export function twoPSetAddFull(state: TwoPSet, element: Value): TwoPSet {
  const added = new Map(state.added);
  added.set(valueKey(element), element);
  return { added, removed: state.removed };
}

export function twoPSetRemoveFull(state: TwoPSet, element: Value): TwoPSet {
  const key = valueKey(element);
  if (!state.added.has(key)) return state;
  const removed = new Map(state.removed);
  removed.set(key, element);
  return { added: state.added, removed };
}

export function twoPSetHas(state: TwoPSet, element: Value): boolean {
  const key = valueKey(element);
  return state.added.has(key) && !state.removed.has(key);
}

export function twoPSetValues(state: TwoPSet): Value[] {
  return valueSetValues(state.added).filter((v) => !state.removed.has(valueKey(v)));
}

function write(w: Writer, state: TwoPSet): void {
  writeValueSet(w, state.added);
  writeValueSet(w, state.removed);
}

function read(r: Reader): TwoPSet {
  return { added: readValueSet(r), removed: readValueSet(r) };
}

export const TwoPSetType: CrdtType<TwoPSet> = {
  name: 'TwoPSet',
  empty: () => ({ added: new Map(), removed: new Map() }),
  join: (a, b) => ({
    added: valueSetUnion(a.added, b.added),
    removed: valueSetUnion(a.removed, b.removed),
  }),
  equals: (a, b) => valueSetEquals(a.added, b.added) && valueSetEquals(a.removed, b.removed),
  write,
  read,
  encode: (state) => encodeEnvelope(Tag.twoPSet, (w) => write(w, state)),
  decode: (bytes) => decodeEnvelope(bytes, Tag.twoPSet, read),
};
