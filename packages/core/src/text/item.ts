/** Origin actor of "the start of the sequence" (left) or "its end" (right). */
export const NONE = -1;

/**
 * One run of units inserted by one actor with consecutive seqs: unit `i` has the id
 * `(actor, seq + i)`. The run stores the origins of its first unit; unit `i > 0` has the unit
 * before it as its left origin and shares the run's right origin (what consecutive typing
 * produces). Actors are indexes into the owning sequence's actor table.
 *
 * A deleted run is a tombstone: it keeps its ids, origins and length (so concurrent inserts
 * next to it still find their place) but not its content.
 * @internal
 */
export class Item<C> {
  constructor(
    public actor: number,
    public seq: number,
    public len: number,
    public content: C,
    public deleted: boolean,
    public leftActor: number,
    public leftSeq: number,
    public rightActor: number,
    public rightSeq: number,
    public leaf: TreeNode<C> | null,
  ) {}

  /** Units that count towards the visible length. */
  get visible(): number {
    return this.deleted ? 0 : this.len;
  }
}

/**
 * A node of the sequence's B-tree. A leaf holds runs (items) in document order; an inner node
 * holds child nodes. Every node knows its counts: `visible` units (what the user sees) and
 * `total` units (tombstones included), so a position is found by descending on either.
 * Leaves are linked in document order for scans.
 * @internal
 */
export class TreeNode<C> {
  visible = 0;
  total = 0;
  parent: TreeNode<C> | null = null;
  /** Leaves: the items. Inner nodes: unused (empty). */
  items: Item<C>[] = [];
  /** Inner nodes: the children. Leaves: unused (empty). */
  children: TreeNode<C>[] = [];
  /** Leaves: the next and previous leaf in document order. */
  next: TreeNode<C> | null = null;
  prev: TreeNode<C> | null = null;
  /**
   * The visible content under this node joined, or null when unknown (text keeps it: joined
   * strings share their parts, so reading the text after an edit re-joins one path only).
   */
  joined: C | null = null;

  constructor(readonly isLeaf: boolean) {}
}

/** Inserts `value` at `index` of `array`, shifting the rest (cheaper than splice here). */
export function insertAt<T>(array: T[], index: number, value: T): void {
  let i = array.length;
  array.push(value);
  for (; i > index; i--) array[i] = array[i - 1]!;
  array[index] = value;
}

/** Removes the element at `index` of `array`. */
export function removeAt<T>(array: T[], index: number): void {
  const last = array.length - 1;
  for (let i = index; i < last; i++) array[i] = array[i + 1]!;
  array.pop();
}
