import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';

/** How many changes (or dots) of each actor a replica has seen: `{actor: highest seq}`. */
export type VersionVector = Map<ActorId, number>;

export type Ordering = 'equal' | 'before' | 'after' | 'concurrent';

export function vvGet(vv: VersionVector, actor: ActorId): number {
  return vv.get(actor) ?? 0;
}

/** Pointwise maximum, as a new vector. */
export function vvMerge(a: VersionVector, b: VersionVector): VersionVector {
  const out = new Map(a);
  for (const [actor, n] of b) if (n > (out.get(actor) ?? 0)) out.set(actor, n);
  return out;
}

/** True when `a` has seen everything `b` has. */
export function vvCovers(a: VersionVector, b: VersionVector): boolean {
  for (const [actor, n] of b) if ((a.get(actor) ?? 0) < n) return false;
  return true;
}

export function vvCompare(a: VersionVector, b: VersionVector): Ordering {
  const aCoversB = vvCovers(a, b);
  const bCoversA = vvCovers(b, a);
  if (aCoversB && bCoversA) return 'equal';
  if (aCoversB) return 'after';
  if (bCoversA) return 'before';
  return 'concurrent';
}

export function vvEquals(a: VersionVector, b: VersionVector): boolean {
  return vvCompare(a, b) === 'equal';
}

/** Entries in actor order, zeros dropped: the canonical form for encoding and display. */
export function vvEntries(vv: VersionVector): [ActorId, number][] {
  return [...vv].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function writeVersionVector(w: Writer, vv: VersionVector): void {
  const entries = vvEntries(vv);
  w.varuint(entries.length);
  for (const [actor, n] of entries) {
    w.actor(actor);
    w.varuint(n);
  }
}

export function readVersionVector(r: Reader): VersionVector {
  const n = r.count(2);
  const vv: VersionVector = new Map();
  for (let i = 0; i < n; i++) {
    const actor = r.actor();
    const seq = r.varuint();
    if (seq === 0) r.fail('version vector entry of 0');
    if (vv.has(actor)) r.fail('duplicate actor in version vector');
    vv.set(actor, seq);
  }
  return vv;
}

export function encodeVersionVector(vv: VersionVector): Uint8Array {
  return encodeEnvelope(Tag.versionVector, (w) => writeVersionVector(w, vv));
}

export function decodeVersionVector(bytes: Uint8Array): VersionVector {
  return decodeEnvelope(bytes, Tag.versionVector, readVersionVector);
}
