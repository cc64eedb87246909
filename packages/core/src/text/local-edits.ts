import type { ContentOps } from './content.js';
import { InvalidPositionError } from './errors.js';
import { Item, NONE } from './item.js';
import type { SeqTree } from './tree.js';

// Local edits at visible positions: the sequence changes at once, and what changed is
// recorded in numbers (no op objects), for a caller that encodes it (a text splice writes a
// change's bytes straight from them) or makes an op of it (SeqCrdt.insert, SeqCrdt.delete).

/** Where an insert put its units: their first seq and their origins (actor numbers, NONE). */
export interface Placed {
  seq: number;
  leftActor: number;
  leftSeq: number;
  rightActor: number;
  rightSeq: number;
}

/** What local edits need of a sequence (SeqCrdt, which imports this file, provides it). */
export interface EditableSequence<C> {
  readonly tree: SeqTree<C>;
  readonly ops: ContentOps<C>;
  readonly nextSeqs: number[];
  readonly placed: Placed;
  indexItem(a: number, item: Item<C>): void;
  split(x: Item<C>, k: number): Item<C>;
  markDeleted(x: Item<C>): Item<C>;
  mergeNext(x: Item<C>): void;
}

/**
 * Inserts `content` at visible position `pos` as actor number `a` (its next units), recording
 * where in `crdt.placed`; false (nothing changed) if `content` is empty. Throws
 * InvalidPositionError, changing nothing, for a position out of range or inside a pair.
 */
export function insertAt<C>(
  crdt: EditableSequence<C>,
  a: number,
  pos: number,
  content: C,
): boolean {
  const ops = crdt.ops;
  const n = ops.length(content);
  const tree = crdt.tree;
  if (!(Number.isInteger(pos) && pos >= 0 && pos <= tree.visible)) {
    throw new InvalidPositionError(`insert at ${pos}: the length is ${tree.visible}`);
  }
  if (n === 0) return false;
  const seq = crdt.nextSeqs[a]!;
  let leftActor = NONE;
  let leftSeq = 0;
  let rightActor = NONE;
  let rightSeq = 0;
  let item: Item<C> | undefined;
  if (pos === 0) {
    const first = tree.firstItem();
    if (first !== null) {
      rightActor = first.actor;
      rightSeq = first.seq;
    }
    item = new Item(a, seq, n, ops.slice(content, 0), false, NONE, 0, rightActor, rightSeq, null);
    tree.insert(tree.firstLeaf, 0, item);
  } else {
    const x = tree.findVisible(pos - 1);
    const k = tree.hitOffset;
    leftActor = x.actor;
    leftSeq = x.seq + k;
    let grow = false;
    if (k < x.len - 1) {
      // Inside a run (the last unit of a run never starts a pair: runs split between pairs).
      if (ops.splitsAfter(x.content, k)) {
        throw new InvalidPositionError(`insert at ${pos} splits a surrogate pair`);
      }
      rightActor = x.actor;
      rightSeq = x.seq + k + 1;
      crdt.split(x, k + 1);
    } else {
      const next = tree.itemAfterIndex(tree.hitLeaf, tree.hitIndex);
      if (next !== null) {
        rightActor = next.actor;
        rightSeq = next.seq;
      }
      // Typing on at the end of our own run: the run grows.
      grow =
        x.actor === a &&
        x.seq + x.len === seq &&
        x.rightActor === rightActor &&
        x.rightSeq === rightSeq;
    }
    if (grow) {
      x.content = ops.append(x.content, ops.slice(content, 0));
      x.len += n;
      tree.bump(tree.hitLeaf, n, n);
    } else {
      item = new Item(
        a,
        seq,
        n,
        ops.slice(content, 0),
        false,
        leftActor,
        leftSeq,
        rightActor,
        rightSeq,
        null,
      );
      tree.insertAfter(x, item);
    }
  }
  if (item !== undefined) crdt.indexItem(a, item);
  crdt.nextSeqs[a] = seq + n;
  const p = crdt.placed;
  p.seq = seq;
  p.leftActor = leftActor;
  p.leftSeq = leftSeq;
  p.rightActor = rightActor;
  p.rightSeq = rightSeq;
  return true;
}

/**
 * Deletes `len` visible units from `pos`, writing the ids it deleted into `out` from index 0 as
 * ranges `actor number, seq, length` (adjacent ones merged); returns how many numbers it wrote
 * (0: len is 0). Throws InvalidPositionError, changing nothing, for a range out of bounds or
 * one that cuts a pair. (`out` is scratch, written by index: emptying an array by setting its
 * length frees its storage, and the next push allocates it again.)
 */
export function deleteAt<C>(
  crdt: EditableSequence<C>,
  pos: number,
  len: number,
  out: number[],
): number {
  const tree = crdt.tree;
  if (
    !(Number.isInteger(pos) && Number.isInteger(len) && pos >= 0 && len >= 0) ||
    pos + len > tree.visible
  ) {
    throw new InvalidPositionError(`delete ${len} at ${pos}: the length is ${tree.visible}`);
  }
  if (len === 0) return 0;
  const ops = crdt.ops;
  let x = tree.findVisible(pos);
  const k = tree.hitOffset;
  // Check both ends before changing anything: neither may cut a pair.
  if (k > 0 && ops.splitsAfter(x.content, k - 1)) {
    throw new InvalidPositionError(`delete at ${pos} starts inside a surrogate pair`);
  }
  if (k + len < x.len) {
    if (ops.splitsAfter(x.content, k + len - 1)) {
      throw new InvalidPositionError(`delete ${len} at ${pos} ends inside a surrogate pair`);
    }
  } else if (k + len > x.len) {
    const last = tree.findVisible(pos + len - 1);
    if (ops.splitsAfter(last.content, tree.hitOffset)) {
      throw new InvalidPositionError(`delete ${len} at ${pos} ends inside a surrogate pair`);
    }
    x = tree.findVisible(pos);
  }
  if (k > 0) x = crdt.split(x, k);
  let remaining = len;
  let n = 0;
  for (;;) {
    if (x.len > remaining) crdt.split(x, remaining);
    remaining -= x.len;
    n = pushRange(out, n, x.actor, x.seq, x.len);
    x = crdt.markDeleted(x);
    if (remaining === 0) break;
    let next = tree.itemAfter(x);
    while (next!.deleted) next = tree.itemAfter(next!);
    x = next!;
  }
  crdt.mergeNext(x);
  return n;
}

/**
 * Adds the range `actor, seq, len` to the `n` numbers of flat triples in `out`, merged into the
 * last if it goes on; returns the new count.
 */
function pushRange(out: number[], n: number, actor: number, seq: number, len: number): number {
  if (n > 0 && out[n - 3] === actor && out[n - 2]! + out[n - 1]! === seq) {
    out[n - 1]! += len;
    return n;
  }
  out[n] = actor;
  out[n + 1] = seq;
  out[n + 2] = len;
  return n + 3;
}
