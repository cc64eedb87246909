import { type Item, insertAt, removeAt, TreeNode } from './item.js';

/** Most items in a leaf, and most children of an inner node, before it splits in two. */
const LEAF_MAX = 64;
const INNER_MAX = 32;

/**
 * The runs of a sequence in document order, in a B-tree whose nodes count visible and total
 * units: finding the run at a position, and the position of a run, take O(log n). Local edits
 * land near the previous one, so the leaf of the last lookup is remembered with its start and
 * reused while the edits stay in it.
 *
 * The tree only places items; splitting and merging runs, and the id index, belong to the
 * caller (`SeqCrdt`).
 * @internal
 */
export class SeqTree<C> {
  root: TreeNode<C> = new TreeNode<C>(true);
  firstLeaf: TreeNode<C> = this.root;

  /** The leaf of the last lookup and its visible start; null when it may be stale. */
  private cacheLeaf: TreeNode<C> | null = null;
  private cacheStart = 0;

  /** Where the last `findVisible` landed: the leaf, the item's index in it, the offset. */
  hitLeaf: TreeNode<C> = this.root;
  hitIndex = 0;
  hitOffset = 0;

  get visible(): number {
    return this.root.visible;
  }

  get total(): number {
    return this.root.total;
  }

  /** The item holding visible unit `index` (0 <= index < visible); sets hitLeaf/Index/Offset. */
  findVisible(index: number): Item<C> {
    let leaf = this.cacheLeaf;
    let start = this.cacheStart;
    if (leaf === null || index < start || index >= start + leaf.visible) {
      let node = this.root;
      start = 0;
      while (!node.isLeaf) {
        const kids = node.children;
        let i = 0;
        let kid = kids[0]!;
        while (index >= start + kid.visible) {
          start += kid.visible;
          kid = kids[++i]!;
        }
        node = kid;
      }
      leaf = node;
      this.cacheLeaf = leaf;
      this.cacheStart = start;
    }
    const items = leaf.items;
    let offset = index - start;
    for (let i = 0; ; i++) {
      const item = items[i]!;
      if (!item.deleted) {
        if (offset < item.len) {
          this.hitLeaf = leaf;
          this.hitIndex = i;
          this.hitOffset = offset;
          return item;
        }
        offset -= item.len;
      }
    }
  }

  /** Adds `dVisible` and `dTotal` to the counts of `leaf` and its ancestors. */
  bump(leaf: TreeNode<C>, dVisible: number, dTotal: number): void {
    if (leaf !== this.cacheLeaf) this.cacheLeaf = null;
    for (let node: TreeNode<C> | null = leaf; node !== null; node = node.parent) {
      node.visible += dVisible;
      node.total += dTotal;
      node.joined = null;
    }
  }

  /** Inserts `item` at `index` of `leaf`; `counted` when its units are already in the counts. */
  insert(leaf: TreeNode<C>, index: number, item: Item<C>, counted = false): void {
    insertAt(leaf.items, index, item);
    item.leaf = leaf;
    if (!counted) this.bump(leaf, item.deleted ? 0 : item.len, item.len);
    if (leaf.items.length > LEAF_MAX) this.splitLeaf(leaf);
  }

  /** Inserts `item` right after `ref` (in ref's leaf). */
  insertAfter(ref: Item<C>, item: Item<C>, counted = false): void {
    const leaf = ref.leaf!;
    this.insert(leaf, leaf.items.indexOf(ref) + 1, item, counted);
  }

  /** Inserts `item` right before `ref`, or at the very end when `ref` is null. */
  insertBefore(ref: Item<C> | null, item: Item<C>): void {
    if (ref === null) {
      let leaf = this.root;
      while (!leaf.isLeaf) leaf = leaf.children[leaf.children.length - 1]!;
      this.insert(leaf, leaf.items.length, item);
    } else {
      const leaf = ref.leaf!;
      this.insert(leaf, leaf.items.indexOf(ref), item);
    }
  }

  /** Removes `item` whose units another item has absorbed (the counts do not change). */
  removeAbsorbed(item: Item<C>): void {
    const leaf = item.leaf!;
    removeAt(leaf.items, leaf.items.indexOf(item));
    item.leaf = null;
  }

  /** The first item in document order, or null. */
  firstItem(): Item<C> | null {
    for (let leaf: TreeNode<C> | null = this.firstLeaf; leaf !== null; leaf = leaf.next) {
      if (leaf.items.length > 0) return leaf.items[0]!;
    }
    return null;
  }

  /** The item after the one at `index` of `leaf`, or null at the end. */
  itemAfterIndex(leaf: TreeNode<C>, index: number): Item<C> | null {
    if (index + 1 < leaf.items.length) return leaf.items[index + 1]!;
    for (let next = leaf.next; next !== null; next = next.next) {
      if (next.items.length > 0) return next.items[0]!;
    }
    return null;
  }

  itemAfter(item: Item<C>): Item<C> | null {
    const leaf = item.leaf!;
    return this.itemAfterIndex(leaf, leaf.items.indexOf(item));
  }

  itemBefore(item: Item<C>): Item<C> | null {
    const leaf = item.leaf!;
    const index = leaf.items.indexOf(item);
    if (index > 0) return leaf.items[index - 1]!;
    for (let prev = leaf.prev; prev !== null; prev = prev.prev) {
      if (prev.items.length > 0) return prev.items[prev.items.length - 1]!;
    }
    return null;
  }

  /** Units (tombstones included, or visible only) before `item` in document order. */
  indexOf(item: Item<C>, visibleOnly: boolean): number {
    const leaf = item.leaf!;
    let n = 0;
    for (const other of leaf.items) {
      if (other === item) break;
      n += visibleOnly ? other.visible : other.len;
    }
    for (let node = leaf; node.parent !== null; node = node.parent) {
      for (const sibling of node.parent.children) {
        if (sibling === node) break;
        n += visibleOnly ? sibling.visible : sibling.total;
      }
    }
    return n;
  }

  /** Every item in document order, as an array (no generator: encoding a state walks them all). */
  itemArray(): Item<C>[] {
    const out: Item<C>[] = [];
    for (let leaf: TreeNode<C> | null = this.firstLeaf; leaf !== null; leaf = leaf.next) {
      const items = leaf.items;
      for (let i = 0; i < items.length; i++) out.push(items[i]!);
    }
    return out;
  }

  /** Every item in document order. */
  *items(): IterableIterator<Item<C>> {
    for (let leaf: TreeNode<C> | null = this.firstLeaf; leaf !== null; leaf = leaf.next) {
      yield* leaf.items;
    }
  }

  /** Replaces the content of the tree with `items` (in document order), in O(n). */
  build(items: readonly Item<C>[]): void {
    const fill = Math.floor((LEAF_MAX * 3) / 4);
    let level: TreeNode<C>[] = [];
    for (let i = 0; i < items.length || level.length === 0; i += fill) {
      const leaf = new TreeNode<C>(true);
      leaf.items = items.slice(i, i + fill);
      for (const item of leaf.items) {
        item.leaf = leaf;
        leaf.total += item.len;
        if (!item.deleted) leaf.visible += item.len;
      }
      const prev = level[level.length - 1];
      if (prev !== undefined) {
        prev.next = leaf;
        leaf.prev = prev;
      }
      level.push(leaf);
    }
    this.firstLeaf = level[0]!;
    const innerFill = Math.floor((INNER_MAX * 3) / 4);
    while (level.length > 1) {
      const up: TreeNode<C>[] = [];
      for (let i = 0; i < level.length; i += innerFill) {
        const node = new TreeNode<C>(false);
        node.children = level.slice(i, i + innerFill);
        for (const child of node.children) {
          child.parent = node;
          node.visible += child.visible;
          node.total += child.total;
        }
        up.push(node);
      }
      level = up;
    }
    this.root = level[0]!;
    this.root.parent = null;
    this.cacheLeaf = null;
  }

  private splitLeaf(leaf: TreeNode<C>): void {
    const right = new TreeNode<C>(true);
    const half = leaf.items.length >> 1;
    right.items = leaf.items.slice(half);
    leaf.items.length = half;
    for (const item of right.items) {
      item.leaf = right;
      right.total += item.len;
      if (!item.deleted) right.visible += item.len;
    }
    leaf.visible -= right.visible;
    leaf.total -= right.total;
    leaf.joined = null;
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.addSibling(leaf, right);
  }

  private splitInner(node: TreeNode<C>): void {
    const right = new TreeNode<C>(false);
    const half = node.children.length >> 1;
    right.children = node.children.slice(half);
    node.children.length = half;
    for (const child of right.children) {
      child.parent = right;
      right.total += child.total;
      right.visible += child.visible;
    }
    node.visible -= right.visible;
    node.total -= right.total;
    node.joined = null;
    this.addSibling(node, right);
  }

  /** Puts `right` (split off `node`) after `node` in their parent, growing the root if needed. */
  private addSibling(node: TreeNode<C>, right: TreeNode<C>): void {
    const parent = node.parent;
    if (parent === null) {
      const root = new TreeNode<C>(false);
      root.children = [node, right];
      root.visible = node.visible + right.visible;
      root.total = node.total + right.total;
      node.parent = root;
      right.parent = root;
      this.root = root;
      return;
    }
    right.parent = parent;
    insertAt(parent.children, parent.children.indexOf(node) + 1, right);
    if (parent.children.length > INNER_MAX) this.splitInner(parent);
  }
}
