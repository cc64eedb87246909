import type { Hash } from './hash.js';
import { type Run, runEnd } from './run.js';

/** Runs waiting for deps that have not arrived, indexed by what they wait for. */
export class PendingRuns {
  private readonly runs = new Map<Hash, { run: Run; missing: number }>();
  private readonly blockedOn = new Map<Hash, Hash[]>();

  get size(): number {
    return this.runs.size;
  }

  has(hash: Hash): boolean {
    return this.runs.has(hash);
  }

  park(run: Run, missing: readonly Hash[]): void {
    this.runs.set(run.hash, { run, missing: missing.length });
    for (const dep of missing) {
      const list = this.blockedOn.get(dep);
      if (list) list.push(run.hash);
      else this.blockedOn.set(dep, [run.hash]);
    }
  }

  /** `hash` arrived: returns (and forgets) the runs that now have all their deps. */
  resolve(hash: Hash): Run[] {
    const ready: Run[] = [];
    for (const waiter of this.blockedOn.get(hash) ?? []) {
      const item = this.runs.get(waiter);
      if (!item) continue;
      item.missing -= 1;
      if (item.missing === 0) {
        this.runs.delete(waiter);
        ready.push(item.run);
      }
    }
    this.blockedOn.delete(hash);
    return ready;
  }

  /** A waiting run of the same actor whose seqs overlap `run`'s, if any. */
  overlapping(run: Run): Run | undefined {
    for (const { run: other } of this.runs.values()) {
      if (other.actor === run.actor && other.seq <= runEnd(run) && run.seq <= runEnd(other))
        return other;
    }
    return undefined;
  }
}
