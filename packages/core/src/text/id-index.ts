import { type Item, insertAt, removeAt } from './item.js';

const CHUNK_MAX = 128;

/**
 * One actor's items sorted by seq, for id lookups (remote origins, deletes by id, cursors).
 * A two-level array: chunks of at most 128 items plus the first seq of each chunk, so a lookup
 * is two binary searches and an insert moves at most one chunk's elements. Items are added
 * when a run is created or split and removed when two runs merge; a run's first seq never
 * changes.
 * @internal
 */
export class IdIndex<C> {
  private readonly chunks: Item<C>[][] = [];
  private readonly firsts: number[] = [];

  /** Fills an empty index with `items`, sorted by seq. */
  build(items: readonly Item<C>[]): void {
    const size = CHUNK_MAX >> 1;
    for (let i = 0; i < items.length; i += size) {
      const chunk = items.slice(i, i + size);
      this.chunks.push(chunk);
      this.firsts.push(chunk[0]!.seq);
    }
  }

  /** Every item, sorted by seq. */
  all(): Item<C>[] {
    return this.chunks.flat();
  }

  /** The item holding unit `seq`, or undefined. */
  find(seq: number): Item<C> | undefined {
    const c = this.chunkFor(seq);
    if (c < 0) return undefined;
    const chunk = this.chunks[c]!;
    let lo = 0;
    let hi = chunk.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunk[mid]!.seq <= seq) lo = mid;
      else hi = mid - 1;
    }
    const item = chunk[lo]!;
    return seq < item.seq + item.len ? item : undefined;
  }

  add(item: Item<C>): void {
    const chunks = this.chunks;
    const last = chunks[chunks.length - 1];
    if (last === undefined) {
      chunks.push([item]);
      this.firsts.push(item.seq);
      return;
    }
    let c = chunks.length - 1;
    let chunk = last;
    let index = chunk.length;
    if (item.seq < chunk[chunk.length - 1]!.seq) {
      c = Math.max(0, this.chunkFor(item.seq));
      chunk = chunks[c]!;
      index = this.position(chunk, item.seq);
    }
    insertAt(chunk, index, item);
    if (index === 0) this.firsts[c] = item.seq;
    if (chunk.length > CHUNK_MAX) {
      const right = chunk.slice(CHUNK_MAX >> 1);
      chunk.length = CHUNK_MAX >> 1;
      insertAt(chunks, c + 1, right);
      insertAt(this.firsts, c + 1, right[0]!.seq);
    }
  }

  remove(item: Item<C>): void {
    const c = this.chunkFor(item.seq);
    const chunk = this.chunks[c]!;
    const index = chunk.indexOf(item);
    removeAt(chunk, index);
    if (chunk.length === 0) {
      removeAt(this.chunks, c);
      removeAt(this.firsts, c);
    } else if (index === 0) this.firsts[c] = chunk[0]!.seq;
  }

  /** Index of the last chunk whose first seq is <= seq; -1 if none. */
  private chunkFor(seq: number): number {
    const firsts = this.firsts;
    let lo = 0;
    let hi = firsts.length - 1;
    if (hi < 0 || firsts[0]! > seq) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firsts[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Where an item starting at `seq` goes in `chunk`. */
  private position(chunk: Item<C>[], seq: number): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (chunk[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
