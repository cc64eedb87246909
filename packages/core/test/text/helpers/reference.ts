import type { SeqId, TextOp } from '../../../src/index.js';

/**
 * A deliberately naive FugueMax (one entry per unit, an array, linear searches), written from
 * the reference-crdts "YjsMod" integration: the oracle the real text type is checked against.
 */
interface Unit {
  readonly id: SeqId;
  readonly left: SeqId | null;
  readonly right: SeqId | null;
  readonly char: string;
  deleted: boolean;
}

export class ReferenceText {
  private readonly units: Unit[] = [];
  private readonly seen = new Set<string>();

  apply(op: TextOp): void {
    if (op.kind === 'delete') {
      for (const r of op.ranges) {
        for (let s = r.seq; s < r.seq + r.len; s++)
          this.units[this.find({ actor: r.actor, seq: s })]!.deleted = true;
      }
      return;
    }
    for (let i = 0; i < op.content.length; i++) {
      const id = { actor: op.id.actor, seq: op.id.seq + i };
      if (this.seen.has(key(id))) continue;
      const left = i === 0 ? op.left : { actor: op.id.actor, seq: op.id.seq + i - 1 };
      this.integrate({ id, left, right: op.right, char: op.content[i]!, deleted: false });
    }
  }

  toString(): string {
    return this.units
      .filter((u) => !u.deleted)
      .map((u) => u.char)
      .join('');
  }

  private find(id: SeqId | null): number {
    if (id === null) return -1;
    const index = this.units.findIndex((u) => u.id.actor === id.actor && u.id.seq === id.seq);
    if (index < 0) throw new Error(`reference: unknown unit ${key(id)}`);
    return index;
  }

  private integrate(unit: Unit): void {
    const units = this.units;
    const left = this.find(unit.left);
    const right = unit.right === null ? units.length : this.find(unit.right);
    let dest = left + 1;
    let scanning = false;
    for (let i = left + 1; ; i++) {
      if (!scanning) dest = i;
      if (i === units.length || i === right) break;
      const other = units[i]!;
      const oLeft = this.find(other.left);
      const oRight = other.right === null ? units.length : this.find(other.right);
      if (oLeft < left) break;
      if (oLeft === left) {
        if (oRight < right) scanning = true;
        else if (oRight === right) {
          if (unit.id.actor < other.id.actor) break;
          scanning = false;
        } else scanning = false;
      }
    }
    units.splice(dest, 0, unit);
    this.seen.add(key(unit.id));
  }
}

function key(id: SeqId): string {
  return `${id.seq}@${id.actor}`;
}
