import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import type { CrdtType } from '../kernel/crdt.js';

/** Grow-only counter: each actor's own running total; the value is their sum. */
export type GCounter = ReadonlyMap<ActorId, number>;

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`a grow-only counter takes a non-negative integer, got ${amount}`);
  }
}

export function gCounterInc(state: GCounter, actor: ActorId, amount = 1): GCounter {
  checkAmount(amount);
  return new Map([[actor, (state.get(actor) ?? 0) + amount]]);
}

export function gCounterIncFull(state: GCounter, actor: ActorId, amount = 1): GCounter {
  checkAmount(amount);
  const out = new Map(state);
  out.set(actor, (state.get(actor) ?? 0) + amount);
  return out;
}

export function gCounterValue(state: GCounter): number {
  let total = 0;
  for (const n of state.values()) total += n;
  return total;
}

function join(a: GCounter, b: GCounter): GCounter {
  const out = new Map(a);
  for (const [actor, n] of b) if (n > (out.get(actor) ?? 0)) out.set(actor, n);
  return out;
}

function equals(a: GCounter, b: GCounter): boolean {
  const zeroFree = (m: GCounter) => [...m].filter(([, n]) => n > 0);
  const ea = zeroFree(a);
  return ea.length === zeroFree(b).length && ea.every(([actor, n]) => b.get(actor) === n);
}

function write(w: Writer, state: GCounter): void {
  const entries = [...state].filter(([, n]) => n > 0).sort(([x], [y]) => (x < y ? -1 : 1));
  w.varuint(entries.length);
  for (const [actor, n] of entries) {
    w.actor(actor);
    w.varuint(n);
  }
}

function read(r: Reader): GCounter {
  const n = r.count(2);
  const out = new Map<ActorId, number>();
  for (let i = 0; i < n; i++) {
    const actor = r.actor();
    const value = r.varuint();
    if (value === 0 || out.has(actor)) r.fail('invalid counter entry');
    out.set(actor, value);
  }
  return out;
}

export const GCounterType: CrdtType<GCounter> = {
  name: 'GCounter',
  empty: () => new Map(),
  join,
  equals,
  write,
  read,
  encode: (state) => encodeEnvelope(Tag.gCounter, (w) => write(w, state)),
  decode: (bytes) => decodeEnvelope(bytes, Tag.gCounter, read),
};
