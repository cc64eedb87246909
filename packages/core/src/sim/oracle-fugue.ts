import type { Unit } from './oracle-model.js';

/**
 * Inserts `unit` into `units` (every unit ever inserted, deleted ones included) where
 * FugueMax puts it. A deliberately naive port of test/text/helpers/reference.ts (the
 * reference-crdts "YjsMod" integration): an array and linear scans, nothing shared with the
 * real text type. The order it gives a set of units does not depend on the order they came
 * in, nor on units outside the set, so the oracle keeps one array per sequence and reads a
 * cut of history by filtering it.
 */
export function integrate(units: Unit[], unit: Unit): void {
  const index = new Map<Unit, number>();
  for (const [i, u] of units.entries()) index.set(u, i);
  const at = (u: Unit | null, none: number): number => {
    if (u === null) return none;
    const i = index.get(u);
    if (i === undefined) throw new Error(`Weft simulator: unit ${u.actor}:${u.seq} is unknown`);
    return i;
  };
  const left = at(unit.left, -1);
  const right = at(unit.right, units.length);
  let dest = left + 1;
  let scanning = false;
  for (let i = left + 1; ; i++) {
    if (!scanning) dest = i;
    if (i === units.length || i === right) break;
    const other = units[i]!;
    const oLeft = at(other.left, -1);
    const oRight = at(other.right, units.length);
    if (oLeft < left) break;
    if (oLeft === left) {
      if (oRight < right) scanning = true;
      else if (oRight === right) {
        if (unit.actor < other.actor) break;
        scanning = false;
      } else scanning = false;
    }
  }
  units.splice(dest, 0, unit);
}
