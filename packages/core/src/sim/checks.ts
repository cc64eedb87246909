import type { VersionVector } from '../clocks/version-vector.js';
import type { Doc } from '../document/read.js';
import { describeDifference, docsEqual } from './compare.js';
import { checkCursors, checkUnits } from './cursors.js';
import type { SimReplica } from './replica.js';
import type { SimState } from './state.js';

// What a replica shows, checked against the oracle at the replica's own version vector: the
// oracle knows what every document must read as at any point of history, so a replica can be
// checked at any moment, mid-sync or just restarted, not only once everyone has converged.

/** One document of a replica against the oracle at `vector`. */
export function checkDoc(
  sim: SimState,
  r: SimReplica,
  collection: string,
  id: string,
  vector: VersionVector,
  when: string,
): void {
  const actual = r.collection(collection).get(id) as Doc | undefined;
  const expected = sim.oracle.doc(collection, id, vector);
  if (!docsEqual(actual, expected)) {
    sim.fail(describeDifference(`${when}, ${r.actor} shows ${collection}/${id}`, actual, expected));
  }
}

/** Every document of a replica against the oracle at its version vector. */
export function checkReplica(sim: SimState, r: SimReplica, when: string): void {
  const vector = r.p.space.versionVector();
  for (const c of sim.collections) {
    const shown = r.collection(c).find();
    const ids = new Set([...sim.oracle.ids(c), ...shown.map((d) => d.id)]);
    for (const id of ids) {
      checkDoc(sim, r, c, id, vector, when);
      checkUnits(sim, r, c, id, when);
    }
    const expected = [...ids].filter((id) => sim.oracle.doc(c, id, vector)).length;
    if (shown.length !== expected) {
      sim.fail(`${when}, ${r.actor} lists ${shown.length} documents in ${c}, expected ${expected}`);
    }
  }
  checkCursors(sim, r, when);
}

/** Indexed queries agree with a scan of the oracle's documents. */
export function checkQueries(sim: SimState, r: SimReplica): void {
  const vector = r.p.space.versionVector();
  for (const [c, options] of Object.entries(sim.workload.collections)) {
    const docs = sim.oracle
      .ids(c)
      .map((id) => sim.oracle.doc(c, id, vector))
      .filter((d) => d !== undefined);
    for (const index of options.indexes ?? []) {
      const path = index[0]!;
      const values = docs.map((d) => valueAt(d, path)).filter((v) => typeof v === 'string');
      for (const value of new Set(values)) {
        const found = r
          .collection(c)
          .find({ where: { [path]: value }, orderBy: 'id' })
          .map((d) => d.id);
        const expected = docs
          .filter((d) => valueAt(d, path) === value)
          .map((d) => d.id as string)
          .sort();
        if (found.join() !== expected.join()) {
          sim.fail(
            `${r.actor}: ${c}.find({ ${path}: ${JSON.stringify(value)} }) gives [${found.join(', ')}], expected [${expected.join(', ')}]`,
          );
        }
      }
    }
  }
}

function valueAt(doc: { readonly [k: string]: unknown }, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
