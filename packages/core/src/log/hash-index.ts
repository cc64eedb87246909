import type { Hash } from './hash.js';
import type { Entry } from './log-entry.js';

/**
 * A log's runs by hash, made when first asked for and kept up from then on. Until then, a log
 * whose runs each follow the last one (a client of a server) finds every parent without it
 * (ChangeLog.parentsOf), and a map of every hash (its table, a 64-character string hashed per
 * run) is not paid for by every replica.
 */
export class HashIndex {
  private map: Map<Hash, Entry> | undefined;
  /** The entries before this position are in `map` (those that had a hash then). */
  private indexed = 0;

  constructor(private readonly entries: readonly Entry[]) {}

  get(hash: Hash): Entry | undefined {
    return this.upToDate().get(hash);
  }

  has(hash: Hash): boolean {
    return this.upToDate().has(hash);
  }

  /** An entry got its hash (the open run, sealed): the index may have passed it already. */
  sealed(entry: Entry): void {
    if (this.map && entry.pos < this.indexed) this.map.set(entry.hash!, entry);
  }

  private upToDate(): Map<Hash, Entry> {
    this.map ??= new Map();
    const map = this.map;
    const entries = this.entries;
    for (; this.indexed < entries.length; this.indexed++) {
      const e = entries[this.indexed]!;
      if (e.hash !== undefined) map.set(e.hash, e);
    }
    return map;
  }
}
