import { type Item, NONE } from './item.js';
import type { SeqTree } from './tree.js';

/** What the integration scan needs from the sequence. @internal */
export interface IntegrateContext<C> {
  readonly tree: SeqTree<C>;
  /** The item holding `(actor, seq)`; it exists (origins are resolved before the scan). */
  itemOf(actor: number, seq: number): Item<C>;
  /** The actor's global id, for tie-breaks. */
  actorName(actor: number): string;
}

/**
 * FugueMax (the "YjsMod" ordering, as in reference-crdts and diamond-types): where a remote run
 * with origins (left, right) goes when other runs were inserted concurrently between them.
 * Returns the item to insert before (null: the end).
 *
 * `after` is the first item after the left origin (the left origin ends an item and the right
 * origin, if any, starts `rightItem`). The scan visits the runs between the origins; for each
 * it compares the positions of its origins with ours:
 * - its left origin is before ours: it is not in our subtree; insert here;
 * - same left origin: siblings. Same right origin too: the smaller actor id goes first. A
 *   right origin before ours: it may be a child of ours; scan on, coming back here unless
 *   something later says otherwise. A right origin after ours: go past it;
 * - its left origin is after ours: it hangs under an item we passed; go past it.
 * Units after the first of a run have the unit before them as left origin, so they always go
 * past: only the first unit of each run needs a look.
 * @internal
 */
export function findPlace<C>(
  ctx: IntegrateContext<C>,
  actor: number,
  leftActor: number,
  leftSeq: number,
  rightActor: number,
  rightSeq: number,
  after: Item<C> | null,
  rightItem: Item<C> | null,
): Item<C> | null {
  const tree = ctx.tree;
  const position = (a: number, s: number, none: number): number => {
    if (a === NONE) return none;
    const item = ctx.itemOf(a, s);
    return tree.indexOf(item, false) + (s - item.seq);
  };
  const total = tree.total;
  const left = position(leftActor, leftSeq, -1);
  const right = position(rightActor, rightSeq, total);
  const name = ctx.actorName(actor);
  let scanning = false;
  let dest = after;
  let other = after;
  // The scan walks the runs in order, so it knows where each one starts: a run whose left
  // origin is the unit just before it (most are) needs no lookup.
  let at = left + 1;
  let prev: Item<C> | null = null;
  for (;;) {
    if (!scanning) dest = other;
    if (other === null || other === rightItem) break;
    const otherLeft =
      prev !== null && other.leftActor === prev.actor && other.leftSeq === prev.seq + prev.len - 1
        ? at - 1
        : position(other.leftActor, other.leftSeq, -1);
    if (otherLeft < left) break;
    if (otherLeft === left) {
      const otherRight = position(other.rightActor, other.rightSeq, total);
      if (otherRight < right) scanning = true;
      else if (otherRight === right) {
        if (name < ctx.actorName(other.actor)) break;
        scanning = false;
      } else scanning = false;
    }
    at += other.len;
    prev = other;
    other = tree.itemAfter(other);
  }
  return dest;
}
