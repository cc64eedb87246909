import type { Hash } from './hash.js';
import type { RunTable } from './run-table.js';

/**
 * A log's runs by hash (to their positions), made when first asked for and kept up from then
 * on. Until then, a log whose runs each follow the last one (a client of a server) finds every
 * parent without it (ChangeLog.parentsOf), and a map of every hash (a 64-character string each,
 * made from the table's bytes) is not paid for by every replica.
 */
export class HashIndex {
  private map: Map<Hash, number> | undefined;
  /** The rows before this position are in `map` (those that had a hash then). */
  private indexed = 0;

  constructor(private readonly table: RunTable) {}

  get(hash: Hash): number | undefined {
    return this.upToDate().get(hash);
  }

  has(hash: Hash): boolean {
    return this.upToDate().has(hash);
  }

  /** A row got its hash (the open run, sealed): the index may have passed it already. */
  sealed(pos: number, hash: Hash): void {
    if (this.map && pos < this.indexed) this.map.set(hash, pos);
  }

  private upToDate(): Map<Hash, number> {
    this.map ??= new Map();
    const map = this.map;
    const table = this.table;
    for (; this.indexed < table.length; this.indexed++) {
      const hash = table.hash(this.indexed);
      if (hash !== undefined) map.set(hash, this.indexed);
    }
    return map;
  }
}
