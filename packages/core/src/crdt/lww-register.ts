import { compareHlc, type Hlc, readHlc, writeHlc } from '../clocks/hlc.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { readValue, type Value, valueEquals, valueKey, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import type { CrdtType } from '../kernel/crdt.js';

/**
 * Last-writer-wins register: the value with the greatest HLC timestamp wins. (Documents keep
 * concurrent values readable through MVRegister; this is the plain register.)
 */
export interface LWWRegister {
  readonly value: Value;
  /** null while nothing was ever written. */
  readonly stamp: Hlc | null;
}

/** Delta of writing `value` at `stamp` (take the stamp from the actor's HybridClock). */
export function lwwRegisterSet(_state: LWWRegister, value: Value, stamp: Hlc): LWWRegister {
  return { value, stamp };
}

export function lwwRegisterSetFull(state: LWWRegister, value: Value, stamp: Hlc): LWWRegister {
  if (state.stamp === null) return { value, stamp };
  const order = compareHlc(state.stamp, stamp);
  if (order === 0) return join(state, { value, stamp }); // a reused stamp: the same tie-break as join
  return order > 0 ? state : { value, stamp };
}

function join(a: LWWRegister, b: LWWRegister): LWWRegister {
  if (a.stamp === null) return b;
  if (b.stamp === null) return a;
  const order = compareHlc(a.stamp, b.stamp);
  if (order !== 0) return order > 0 ? a : b;
  // One stamp, two values: only a misbehaving writer does this; pick deterministically.
  return valueKey(a.value) >= valueKey(b.value) ? a : b;
}

function equals(a: LWWRegister, b: LWWRegister): boolean {
  if (a.stamp === null || b.stamp === null) return a.stamp === b.stamp;
  return compareHlc(a.stamp, b.stamp) === 0 && valueEquals(a.value, b.value);
}

function write(w: Writer, state: LWWRegister): void {
  if (state.stamp === null) {
    w.u8(0);
    return;
  }
  w.u8(1);
  writeHlc(w, state.stamp);
  writeValue(w, state.value);
}

function read(r: Reader): LWWRegister {
  const present = r.u8();
  if (present === 0) return { value: null, stamp: null };
  if (present !== 1) r.fail('invalid register flag');
  const stamp = readHlc(r);
  return { stamp, value: readValue(r) };
}

export const LWWRegisterType: CrdtType<LWWRegister> = {
  name: 'LWWRegister',
  empty: () => ({ value: null, stamp: null }),
  join,
  equals,
  write,
  read,
  encode: (state) => encodeEnvelope(Tag.lwwRegister, (w) => write(w, state)),
  decode: (bytes) => decodeEnvelope(bytes, Tag.lwwRegister, read),
};
