import type { VersionVector } from '../clocks/version-vector.js';
import type { Value } from '../encoding/value.js';
import type { Atom, OracleEvent } from './oracle-model.js';
import type { DocView } from './oracle-read.js';

/** Everything history wrote to one document, and what it reads as at the cuts asked so far. */
export interface DocHistory {
  readonly collection: string;
  readonly id: string;
  atoms: Atom[];
  /** What the document reads as, by version vector (cleared when its atoms change). */
  readonly reads: Map<string, DocValue | undefined>;
  /** Its views, by version vector (cleared with `reads`). */
  readonly views: Map<string, DocView>;
}

export type DocValue = { [field: string]: Value };

export function newHistory(collection: string, id: string): DocHistory {
  return { collection, id, atoms: [], reads: new Map(), views: new Map() };
}

/** Takes out the atoms, covers, units and deletes of events that are not part of history. */
export function dropEvents(h: DocHistory, gone: ReadonlySet<OracleEvent>): void {
  h.reads.clear();
  h.views.clear();
  h.atoms = h.atoms.filter((a) => !gone.has(a.event));
  for (const a of h.atoms) {
    for (let i = a.coverers.length - 1; i >= 0; i--)
      if (gone.has(a.coverers[i]!)) a.coverers.splice(i, 1);
    if (a.kind !== 'seq') continue;
    a.units = a.units.filter((u) => !gone.has(u.event));
    for (const u of a.units) {
      for (let i = u.deleters.length - 1; i >= 0; i--)
        if (gone.has(u.deleters[i]!)) u.deleters.splice(i, 1);
    }
  }
}

const vectorKeys = new WeakMap<VersionVector, string>();

/** A version vector as a string key (cached: a caller reads many documents at one vector). */
export function vectorKey(vector: VersionVector): string {
  const cached = vectorKeys.get(vector);
  if (cached !== undefined) return cached;
  let out = '';
  for (const [actor, seq] of [...vector].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (seq > 0) out += `${actor}:${seq} `;
  }
  vectorKeys.set(vector, out);
  return out;
}

export function historyKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
