import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import type { CrdtType } from '../kernel/crdt.js';
import {
  type GCounter,
  GCounterType,
  gCounterInc,
  gCounterIncFull,
  gCounterValue,
} from './g-counter.js';

/** Counter that goes both ways: one grow-only counter for increments, one for decrements. */
export interface PNCounter {
  readonly inc: GCounter;
  readonly dec: GCounter;
}

const EMPTY: GCounter = new Map();

/** Delta of adding `amount` (negative to decrement). */
export function pnCounterAdd(state: PNCounter, actor: ActorId, amount: number): PNCounter {
  return amount >= 0
    ? { inc: gCounterInc(state.inc, actor, amount), dec: EMPTY }
    : { inc: EMPTY, dec: gCounterInc(state.dec, actor, -amount) };
}

export function pnCounterAddFull(state: PNCounter, actor: ActorId, amount: number): PNCounter {
  return amount >= 0
    ? { inc: gCounterIncFull(state.inc, actor, amount), dec: state.dec }
    : { inc: state.inc, dec: gCounterIncFull(state.dec, actor, -amount) };
}

export function pnCounterValue(state: PNCounter): number {
  return gCounterValue(state.inc) - gCounterValue(state.dec);
}

function write(w: Writer, state: PNCounter): void {
  GCounterType.write(w, state.inc);
  GCounterType.write(w, state.dec);
}

function read(r: Reader): PNCounter {
  return { inc: GCounterType.read(r), dec: GCounterType.read(r) };
}

export const PNCounterType: CrdtType<PNCounter> = {
  name: 'PNCounter',
  empty: () => ({ inc: new Map(), dec: new Map() }),
  join: (a, b) => ({ inc: GCounterType.join(a.inc, b.inc), dec: GCounterType.join(a.dec, b.dec) }),
  equals: (a, b) => GCounterType.equals(a.inc, b.inc) && GCounterType.equals(a.dec, b.dec),
  write,
  read,
  encode: (state) => encodeEnvelope(Tag.pnCounter, (w) => write(w, state)),
  decode: (bytes) => decodeEnvelope(bytes, Tag.pnCounter, read),
};
