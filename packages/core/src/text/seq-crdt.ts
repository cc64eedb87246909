import type { ActorId } from '../kernel/actor.js';
import type { ContentOps } from './content.js';
import { InvalidOriginsError, InvalidPositionError, MissingDependencyError } from './errors.js';
import { IdIndex } from './id-index.js';
import { findPlace } from './integrate.js';
import { Item, NONE } from './item.js';
import { deleteAt, insertAt, type Placed } from './local-edits.js';
import type { Anchor, SeqDeleteOp, SeqId, SeqIdRange, SeqInsertOp, SeqOp } from './ops.js';
import { SeqTree } from './tree.js';

/**
 * A sequence CRDT that does not interleave concurrent runs (FugueMax: each inserted unit has a
 * left and a right origin; see `integrate.ts`). Items are identified by `(actor, seq)` dots;
 * each actor's units are numbered 0, 1, 2… in the order it inserted them. Consecutive units
 * typed by one actor are stored as one run (item), split on demand; the runs live in a B-tree
 * counted by visible and total units (`tree.ts`), and a per-actor index finds a run by id
 * (`id-index.ts`). Deletes leave tombstones: ids, origins and lengths stay; content goes.
 *
 * Local edits (`insert`, `delete` at visible positions) return ops; `apply` integrates ops from
 * other replicas. Ops must arrive in causal order (the change log guarantees it); a duplicate,
 * or the already-known part of an op, is a no-op. Generic over the content of a run: text
 * stores strings (`TextCrdt`), lists store arrays of values (`ListCrdt`).
 */
export class SeqCrdt<C> {
  /** @internal */
  readonly tree = new SeqTree<C>();
  /** @internal Actor ids by index, and back. */
  readonly actorIds: ActorId[] = [];
  private readonly actorIndexes = new Map<ActorId, number>();
  /** @internal Per actor: the seq its next unit will have (all before it are known). */
  readonly nextSeqs: number[] = [];
  private readonly ids: IdIndex<C>[] = [];
  private readonly me: number;

  constructor(
    readonly actor: ActorId,
    /** @internal */
    readonly ops: ContentOps<C>,
  ) {
    this.me = this.actorNumber(actor);
  }

  /** Visible units. */
  get length(): number {
    return this.tree.visible;
  }

  /** @internal The index of `actor`, added to the table if new. */
  actorNumber(actor: ActorId): number {
    let n = this.actorIndexes.get(actor);
    if (n === undefined) {
      n = this.actorIds.length;
      this.actorIds.push(actor);
      this.actorIndexes.set(actor, n);
      this.nextSeqs.push(0);
      this.ids.push(new IdIndex<C>());
    }
    return n;
  }

  /** The version: per actor, how many of its units this replica has. */
  version(): Record<ActorId, number> {
    const out: Record<ActorId, number> = {};
    this.actorIds.forEach((id, i) => {
      if (this.nextSeqs[i]! > 0) out[id] = this.nextSeqs[i]!;
    });
    return out;
  }

  // ---- local edits ------------------------------------------------------------------------

  /** Inserts `content` at visible position `pos`; returns the op (undefined if empty). */
  insert(pos: number, content: C): SeqInsertOp<C> | undefined {
    if (!this.insertBy(this.me, pos, content)) return undefined;
    const p = this.placed;
    return {
      kind: 'insert',
      id: { actor: this.actor, seq: p.seq },
      left: p.leftActor === NONE ? null : { actor: this.actorIds[p.leftActor]!, seq: p.leftSeq },
      right:
        p.rightActor === NONE ? null : { actor: this.actorIds[p.rightActor]!, seq: p.rightSeq },
      content,
    };
  }

  /**
   * @internal Where the last `insertBy` put its units: their first seq and their origins
   * (actor numbers, NONE for the start or the end). Read it before the next edit.
   */
  readonly placed: Placed = { seq: 0, leftActor: NONE, leftSeq: 0, rightActor: NONE, rightSeq: 0 };

  /** @internal See local-edits.ts `insertAt` (as actor number `a`). */
  insertBy(a: number, pos: number, content: C): boolean {
    return insertAt(this, a, pos, content);
  }

  /** Deletes `len` visible units from `pos`; returns the op (undefined if len is 0). */
  delete(pos: number, len: number): SeqDeleteOp | undefined {
    const removed = this.removed;
    const n = deleteAt(this, pos, len, removed);
    if (n === 0) return undefined;
    const ranges: SeqIdRange[] = [];
    for (let i = 0; i < n; i += 3) {
      ranges.push({
        actor: this.actorIds[removed[i]!]!,
        seq: removed[i + 1]!,
        len: removed[i + 2]!,
      });
    }
    return { kind: 'delete', ranges };
  }

  /** Scratch for `delete`: the ranges `deleteAt` removed. */
  private readonly removed: number[] = new Array<number>(48).fill(0);

  /** @internal See local-edits.ts `deleteAt`. */
  deleteAt(pos: number, len: number, out: number[]): number {
    return deleteAt(this, pos, len, out);
  }

  /** @internal Adds a new item of actor `a` to the id index. */
  indexItem(a: number, item: Item<C>): void {
    this.ids[a]!.add(item);
  }

  // ---- remote ops -------------------------------------------------------------------------

  /** Applies an op from another replica (or this one). Returns false if it was all known. */
  apply(op: SeqOp<C>): boolean {
    return op.kind === 'insert' ? this.applyInsert(op) : this.applyDelete(op);
  }

  private applyInsert(op: SeqInsertOp<C>): boolean {
    const a = this.actorNumber(op.id.actor);
    const known = this.nextSeqs[a]!;
    const n = this.ops.length(op.content);
    if (op.id.seq + n <= known) return false;
    if (op.id.seq > known) {
      throw new MissingDependencyError(
        `insert ${op.id.actor}:${op.id.seq} skips units ${known}…${op.id.seq - 1} of its actor`,
      );
    }
    const leftActor = op.left === null ? NONE : this.knownActor(op.left.actor);
    const rightActor = op.right === null ? NONE : this.knownActor(op.right.actor);
    const leftSeq = op.left === null ? 0 : op.left.seq;
    const rightSeq = op.right === null ? 0 : op.right.seq;
    if (leftActor !== NONE) this.itemOf(leftActor, leftSeq);
    if (rightActor !== NONE) this.itemOf(rightActor, rightSeq);
    if (
      leftActor !== NONE &&
      rightActor !== NONE &&
      this.unitIndex(rightActor, rightSeq) <= this.unitIndex(leftActor, leftSeq)
    ) {
      throw new InvalidOriginsError(
        `insert ${op.id.actor}:${op.id.seq} has its right origin before its left one`,
      );
    }
    return this.integrateRun(
      a,
      op.id.seq,
      n,
      op.content,
      false,
      leftActor,
      leftSeq,
      rightActor,
      rightSeq,
    );
  }

  /** Where unit `seq` of actor `a` (which must exist) is in the sequence, deleted units included. */
  private unitIndex(a: number, seq: number): number {
    const item = this.itemOf(a, seq);
    return this.tree.indexOf(item, false) + (seq - item.seq);
  }

  /**
   * @internal Integrates the run `(a, seq … seq + n - 1)` with the given origins (which must
   * exist; `seq` must not skip any unit of `a`). A known prefix is skipped. A deleted run
   * (`content` ignored) arrives as a tombstone. Returns false if the whole run was known.
   */
  integrateRun(
    a: number,
    seq: number,
    n: number,
    content: C,
    deleted: boolean,
    leftActor: number,
    leftSeq: number,
    rightActor: number,
    rightSeq: number,
  ): boolean {
    const ops = this.ops;
    const known = this.nextSeqs[a]!;
    if (seq + n <= known) return false;
    if (seq < known) {
      // Part of the run is known: integrate the rest, after its last known unit.
      if (!deleted) content = ops.slice(content, known - seq);
      n -= known - seq;
      seq = known;
      leftActor = a;
      leftSeq = known - 1;
    }
    const tree = this.tree;
    let left: Item<C> | null = null;
    let right: Item<C> | null = null;
    if (leftActor !== NONE) {
      left = this.itemOf(leftActor, leftSeq);
      if (leftSeq < left.seq + left.len - 1) this.split(left, leftSeq - left.seq + 1);
    }
    if (rightActor !== NONE) {
      right = this.itemOf(rightActor, rightSeq);
      if (rightSeq > right.seq) right = this.split(right, rightSeq - right.seq);
    }
    const after = left === null ? tree.firstItem() : tree.itemAfter(left);
    let item: Item<C> | undefined;
    let dest: Item<C> | null | undefined;
    let grown = false;
    if (after !== right) {
      dest = findPlace(this.context, a, leftActor, leftSeq, rightActor, rightSeq, after, right);
    } else if (
      // Nothing concurrent between the origins (the common case): maybe the run goes on.
      left !== null &&
      !deleted &&
      left.actor === a &&
      left.seq + left.len === seq &&
      !left.deleted &&
      left.rightActor === rightActor &&
      left.rightSeq === rightSeq
    ) {
      left.content = ops.append(left.content, ops.slice(content, 0));
      left.len += n;
      tree.bump(left.leaf!, n, n);
      grown = true;
    }
    if (!grown) {
      item = new Item(
        a,
        seq,
        n,
        deleted ? ops.empty() : ops.slice(content, 0),
        deleted,
        leftActor,
        leftSeq,
        rightActor,
        rightSeq,
        null,
      );
      if (dest !== undefined) tree.insertBefore(dest, item);
      else if (left === null) tree.insert(tree.firstLeaf, 0, item);
      else tree.insertAfter(left, item);
    }
    if (item !== undefined) this.ids[a]!.add(item);
    this.nextSeqs[a] = seq + n;
    return true;
  }

  /** @internal Deletes units `seq … seq + len - 1` of actor `a` (known); true if any was live. */
  deleteRange(a: number, seq: number, len: number): boolean {
    let changed = false;
    const end = seq + len;
    let s = seq;
    while (s < end) {
      let x = this.itemOf(a, s);
      if (x.deleted) {
        s = x.seq + x.len;
        continue;
      }
      if (s > x.seq) x = this.split(x, s - x.seq);
      if (x.len > end - s) this.split(x, end - s);
      s += x.len;
      this.mergeNext(this.markDeleted(x));
      changed = true;
    }
    return changed;
  }

  /** @internal Each actor's items, sorted by seq. */
  itemsOfActor(a: number): Item<C>[] {
    return this.ids[a]!.all();
  }

  private applyDelete(op: SeqDeleteOp): boolean {
    // Check every range first, so a bad op changes nothing.
    for (const range of op.ranges) {
      const a = this.actorIndexes.get(range.actor);
      if (a === undefined || range.seq + range.len > this.nextSeqs[a]!) {
        throw new MissingDependencyError(
          `delete of ${range.actor}:${range.seq}+${range.len}: units this replica does not have`,
        );
      }
    }
    let changed = false;
    for (const range of op.ranges) {
      if (this.deleteRange(this.actorIndexes.get(range.actor)!, range.seq, range.len))
        changed = true;
    }
    return changed;
  }

  // ---- stable positions -------------------------------------------------------------------

  /**
   * An anchor for visible position `pos`. `stick: 'right'` (default) anchors before the unit
   * at `pos` (text inserted at the position goes before the anchor); `'left'` anchors after
   * the unit before `pos`.
   */
  cursorAt(pos: number, stick: 'left' | 'right' = 'right'): Anchor {
    const tree = this.tree;
    if (!(Number.isInteger(pos) && pos >= 0 && pos <= tree.visible)) {
      throw new InvalidPositionError(`cursor at ${pos}: the length is ${tree.visible}`);
    }
    if (stick === 'right') {
      if (pos === tree.visible) return { kind: 'end' };
      const x = tree.findVisible(pos);
      return { kind: 'before', actor: this.actorIds[x.actor]!, seq: x.seq + tree.hitOffset };
    }
    if (pos === 0) return { kind: 'start' };
    const x = tree.findVisible(pos - 1);
    return { kind: 'after', actor: this.actorIds[x.actor]!, seq: x.seq + tree.hitOffset };
  }

  /** The current visible position of an anchor. */
  positionOf(anchor: Anchor): number {
    if (anchor.kind === 'start') return 0;
    if (anchor.kind === 'end') return this.tree.visible;
    const a = this.actorIndexes.get(anchor.actor);
    const x = a === undefined ? undefined : this.ids[a]!.find(anchor.seq);
    if (x === undefined) {
      throw new MissingDependencyError(`anchor ${anchor.actor}:${anchor.seq} is not known here`);
    }
    const base = this.tree.indexOf(x, true);
    if (x.deleted) return base;
    return base + (anchor.seq - x.seq) + (anchor.kind === 'after' ? 1 : 0);
  }

  /** The id of the visible unit at `pos`. */
  idAt(pos: number): SeqId {
    if (!(Number.isInteger(pos) && pos >= 0 && pos < this.tree.visible)) {
      throw new InvalidPositionError(`no unit at ${pos}: the length is ${this.tree.visible}`);
    }
    const x = this.tree.findVisible(pos);
    return { actor: this.actorIds[x.actor]!, seq: x.seq + this.tree.hitOffset };
  }

  /** Visible content, run by run, in document order. */
  *chunks(): IterableIterator<C> {
    for (const item of this.tree.items()) if (!item.deleted) yield item.content;
  }

  /**
   * @internal Replaces the (empty) state with `items` in document order, their actors numbered
   * by this replica's table, and each actor's items sorted by seq. The caller has checked
   * that each actor's items cover its seqs 0 … n-1 exactly once and that every origin exists.
   */
  load(items: Item<C>[], byActor: Item<C>[][]): void {
    this.tree.build(items);
    byActor.forEach((list, a) => {
      this.ids[a]!.build(list);
      const last = list[list.length - 1];
      this.nextSeqs[a] = last === undefined ? 0 : last.seq + last.len;
    });
  }

  // ---- internals --------------------------------------------------------------------------

  /** @internal */
  readonly context = {
    tree: this.tree,
    itemOf: (actor: number, seq: number) => this.itemOf(actor, seq),
    actorName: (actor: number) => this.actorIds[actor]!,
  };

  private knownActor(actor: ActorId): number {
    const a = this.actorIndexes.get(actor);
    if (a === undefined) throw new MissingDependencyError(`an op names unknown actor ${actor}`);
    return a;
  }

  /** @internal The item holding `(actor, seq)`; throws MissingDependencyError if unknown. */
  itemOf(actor: number, seq: number): Item<C> {
    const item = seq < this.nextSeqs[actor]! ? this.ids[actor]!.find(seq) : undefined;
    if (item === undefined) {
      throw new MissingDependencyError(`unit ${this.actorIds[actor]}:${seq} is not known here`);
    }
    return item;
  }

  /** @internal Cuts `x` after its first `k` units; returns the new item holding the rest. */
  split(x: Item<C>, k: number): Item<C> {
    const ops = this.ops;
    const rest = new Item(
      x.actor,
      x.seq + k,
      x.len - k,
      x.deleted ? ops.empty() : ops.slice(x.content, k),
      x.deleted,
      x.actor,
      x.seq + k - 1,
      x.rightActor,
      x.rightSeq,
      null,
    );
    if (!x.deleted) x.content = ops.slice(x.content, 0, k);
    x.len = k;
    this.tree.insertAfter(x, rest, true);
    this.ids[x.actor]!.add(rest);
    return rest;
  }

  /** @internal Turns `x` into a tombstone and merges it into the tombstone before it if it can. */
  markDeleted(x: Item<C>): Item<C> {
    x.deleted = true;
    x.content = this.ops.empty();
    this.tree.bump(x.leaf!, -x.len, 0);
    const prev = this.tree.itemBefore(x);
    if (prev !== null && prev.leaf === x.leaf && this.absorb(prev, x)) return prev;
    return x;
  }

  /** @internal Merges the item after `x` into `x` if they form one run. */
  mergeNext(x: Item<C>): void {
    const next = this.tree.itemAfter(x);
    if (next !== null && next.leaf === x.leaf) this.absorb(x, next);
  }

  /** If `b` (right after `a`) continues `a`'s run, moves its units into `a`. */
  private absorb(a: Item<C>, b: Item<C>): boolean {
    if (
      a.actor !== b.actor ||
      b.seq !== a.seq + a.len ||
      a.deleted !== b.deleted ||
      b.leftActor !== a.actor ||
      b.leftSeq !== b.seq - 1 ||
      b.rightActor !== a.rightActor ||
      b.rightSeq !== a.rightSeq
    ) {
      return false;
    }
    if (!a.deleted) a.content = this.ops.append(a.content, b.content);
    a.len += b.len;
    this.tree.removeAbsorbed(b);
    this.ids[b.actor]!.remove(b);
    return true;
  }
}
