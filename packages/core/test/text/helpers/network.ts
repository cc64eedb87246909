import type { Prng } from '../../helpers/prng.js';

/**
 * Causal delivery for randomized tests: every op carries the version of the replica that made
 * it (how many ops of each replica it had seen); a replica may apply an op once it has seen
 * everything the op's author had. Delivery order among deliverable ops is random.
 */
export interface Sent<Op> {
  readonly from: number;
  readonly index: number;
  readonly deps: readonly number[];
  readonly op: Op;
}

export class CausalNetwork<Op> {
  readonly log: Sent<Op>[][] = [];
  readonly seen: number[][] = [];

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      this.log.push([]);
      this.seen.push(new Array<number>(size).fill(0));
    }
  }

  /** Records an op replica `from` just made (after applying it locally). */
  send(from: number, op: Op): void {
    const deps = [...this.seen[from]!];
    const index = this.log[from]!.length;
    this.log[from]!.push({ from, index, deps, op });
    this.seen[from]![from] = index + 1;
  }

  /** Ops replica `to` can apply now. */
  deliverable(to: number): Sent<Op>[] {
    const out: Sent<Op>[] = [];
    const seen = this.seen[to]!;
    for (let from = 0; from < this.size; from++) {
      const next = this.log[from]![seen[from]!];
      if (next?.deps.every((n, i) => i === from || seen[i]! >= n)) out.push(next);
    }
    return out;
  }

  /** Delivers one random deliverable op to `to`; false if there is none. */
  deliverOne(to: number, rng: Prng, apply: (op: Op) => void): boolean {
    const ready = this.deliverable(to);
    if (ready.length === 0) return false;
    const sent = rng.pick(ready);
    apply(sent.op);
    this.seen[to]![sent.from] = sent.index + 1;
    return true;
  }

  /** Delivers everything to everyone, in random causal orders. */
  flush(rng: Prng, apply: (to: number, op: Op) => void): void {
    for (let to = 0; to < this.size; to++) {
      while (this.deliverOne(to, rng, (op) => apply(to, op))) {}
    }
  }

  /** A random op `to` has already applied (for duplicate delivery), or undefined. */
  anyApplied(to: number, rng: Prng): Op | undefined {
    const from = rng.int(this.size);
    const n = this.seen[to]![from]!;
    return n === 0 ? undefined : this.log[from]![rng.int(n)]!.op;
  }
}
