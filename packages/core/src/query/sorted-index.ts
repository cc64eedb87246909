// One secondary index: every doc of the collection as an entry (values of the index fields,
// id), kept sorted by that pair. Docs missing a field are indexed too (missing sorts first),
// so an index can also serve orderBy over all docs.
//
// Storage is one sorted array: lookups are a binary search (O(log n)); an upsert or remove
// is a binary search plus a splice (O(n) moves, fast in practice up to ~10^5 entries). A
// B-tree can replace the array behind the same methods when collections grow beyond that.
import { assert } from '../errors.js';
import type { SortValue } from './ast.js';
import { type Doc, getField } from './doc.js';
import { type IndexBounds, positionOf } from './index-bounds.js';
import { compareSortValues } from './sort-key.js';

export interface IndexEntry {
  /** The doc's values of the index fields, in order (undefined where missing). */
  readonly key: readonly SortValue[];
  readonly id: string;
}

export class SortedIndex {
  private entries: IndexEntry[] = [];

  constructor(
    readonly name: string,
    readonly fields: readonly string[],
    private readonly paths: readonly (readonly string[])[],
  ) {}

  get size(): number {
    return this.entries.length;
  }

  at(i: number): IndexEntry {
    return this.entries[i]!;
  }

  keyOf(doc: Doc): SortValue[] {
    return this.paths.map((path) => getField(doc, path));
  }

  upsert(id: string, before: Doc | undefined, after: Doc): void {
    const key = this.keyOf(after);
    if (before !== undefined) {
      const old = this.keyOf(before);
      if (compareKeys(old, key) === 0) return;
      this.delete(id, old);
    }
    const i = this.search((e) => compareEntries(e, key, id) >= 0);
    assert(
      i === this.entries.length || compareEntries(this.entries[i]!, key, id) !== 0,
      `index ${this.name} already has doc "${id}"; pass the previous doc as \`before\``,
    );
    this.entries.splice(i, 0, Object.freeze({ key, id }));
  }

  remove(id: string, before: Doc): void {
    this.delete(id, this.keyOf(before));
  }

  /** Replaces every entry with those of `docs`, sorting once. */
  load(docs: readonly Doc[]): void {
    const entries = docs.map((doc) =>
      Object.freeze({ key: this.keyOf(doc), id: doc.id as string }),
    );
    entries.sort((a, b) => compareEntries(a, b.key, b.id));
    this.entries = entries;
  }

  /** The first position where `pred` holds; `pred` must be false…false, true…true. */
  search(pred: (entry: IndexEntry) => boolean, lo = 0, hi = this.entries.length): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.entries[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The positions [lo, hi) of the entries inside `bounds`. */
  range(bounds: IndexBounds): [number, number] {
    const lo = this.search((e) => positionOf(bounds, e.key) >= 0);
    const hi = this.search((e) => positionOf(bounds, e.key) > 0, lo);
    return [lo, hi];
  }

  private delete(id: string, key: readonly SortValue[]): void {
    const i = this.search((e) => compareEntries(e, key, id) >= 0);
    const found = this.entries[i];
    assert(
      found !== undefined && compareEntries(found, key, id) === 0,
      `index ${this.name} has no entry for doc "${id}"; pass the doc as it was indexed as \`before\``,
    );
    this.entries.splice(i, 1);
  }
}

function compareKeys(a: readonly SortValue[], b: readonly SortValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareSortValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Orders entries by key, then id (code-unit order, as `compareValues` orders strings). */
function compareEntries(entry: IndexEntry, key: readonly SortValue[], id: string): number {
  const c = compareKeys(entry.key, key);
  if (c !== 0) return c;
  return entry.id < id ? -1 : entry.id > id ? 1 : 0;
}
