import type { ActorId } from '../kernel/actor.js';
import { InvalidPositionError } from './errors.js';
import { NONE } from './item.js';
import type { SeqDeleteOp, SeqId, SeqIdRange, SeqInsertOp } from './ops.js';
import type { SeqCrdt } from './seq-crdt.js';

// Local edits planned as ops without changing the sequence. A document write encodes its ops
// into the change before it applies them (`apply`), so a write refused half-way (an invalid
// value next to a text edit, say) leaves the sequence as it was.

/**
 * The op that inserts `content` at visible position `pos` for `actor` (the next units of that
 * actor). Undefined when `content` is empty. Throws InvalidPositionError for a position out of
 * range or inside a surrogate pair.
 */
export function planInsert<C>(
  crdt: SeqCrdt<C>,
  actor: ActorId,
  pos: number,
  content: C,
): SeqInsertOp<C> | undefined {
  const tree = crdt.tree;
  if (!(Number.isInteger(pos) && pos >= 0 && pos <= tree.visible)) {
    throw new InvalidPositionError(`insert at ${pos}: the length is ${tree.visible}`);
  }
  if (crdt.ops.length(content) === 0) return undefined;
  const id = { actor, seq: crdt.nextSeqs[crdt.actorNumber(actor)]! };
  if (pos === 0) {
    const first = tree.firstItem();
    return {
      kind: 'insert',
      id,
      left: null,
      right: first && idOf(crdt, first.actor, first.seq),
      content,
    };
  }
  const x = tree.findVisible(pos - 1);
  const k = tree.hitOffset;
  const left = idOf(crdt, x.actor, x.seq + k);
  if (k < x.len - 1) {
    if (crdt.ops.splitsAfter(x.content, k)) {
      throw new InvalidPositionError(`insert at ${pos} splits a surrogate pair`);
    }
    return { kind: 'insert', id, left, right: idOf(crdt, x.actor, x.seq + k + 1), content };
  }
  const next = tree.itemAfterIndex(tree.hitLeaf, tree.hitIndex);
  return { kind: 'insert', id, left, right: next && idOf(crdt, next.actor, next.seq), content };
}

/**
 * The op that deletes `len` visible units from `pos`. Undefined when `len` is 0. Throws
 * InvalidPositionError for a range out of bounds or one that cuts a surrogate pair.
 */
export function planDelete<C>(crdt: SeqCrdt<C>, pos: number, len: number): SeqDeleteOp | undefined {
  const tree = crdt.tree;
  if (
    !(Number.isInteger(pos) && Number.isInteger(len) && pos >= 0 && len >= 0) ||
    pos + len > tree.visible
  ) {
    throw new InvalidPositionError(`delete ${len} at ${pos}: the length is ${tree.visible}`);
  }
  if (len === 0) return undefined;
  let x = tree.findVisible(pos);
  let offset = tree.hitOffset;
  if (offset > 0 && crdt.ops.splitsAfter(x.content, offset - 1)) {
    throw new InvalidPositionError(`delete at ${pos} starts inside a surrogate pair`);
  }
  const ranges: SeqIdRange[] = [];
  let remaining = len;
  for (;;) {
    const take = Math.min(x.len - offset, remaining);
    remaining -= take;
    if (remaining === 0) {
      if (crdt.ops.splitsAfter(x.content, offset + take - 1)) {
        throw new InvalidPositionError(`delete ${len} at ${pos} ends inside a surrogate pair`);
      }
    }
    addRange(ranges, crdt.actorIds[x.actor]!, x.seq + offset, take);
    if (remaining === 0) return { kind: 'delete', ranges };
    let next = tree.itemAfter(x);
    while (next!.deleted) next = tree.itemAfter(next!);
    x = next!;
    offset = 0;
  }
}

function idOf<C>(crdt: SeqCrdt<C>, actor: number, seq: number): SeqId | null {
  return actor === NONE ? null : { actor: crdt.actorIds[actor]!, seq };
}

function addRange(ranges: SeqIdRange[], actor: ActorId, seq: number, len: number): void {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.actor === actor && last.seq + last.len === seq) {
    ranges[ranges.length - 1] = { actor, seq: last.seq, len: last.len + len };
  } else ranges.push({ actor, seq, len });
}
