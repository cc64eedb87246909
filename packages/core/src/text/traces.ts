// Editing traces (github.com/josephg/editing-traces): real typing histories, used by the
// core's text tests and by the text benchmark to replay against Weft and other libraries.
// They share this one reader, here because the bench may import only the core's public API
// and the core's tests may not import the bench. Loading the files (gzipped JSON) is left to
// each: the core does no I/O. The formats: packages/core/test/text/traces/*FORMAT.md.

/** One edit: at `pos`, delete `deleted` characters, then insert `inserted`. */
export type TracePatch = readonly [pos: number, deleted: number, inserted: string];

/** The edits of one moment (a keystroke, a paste), in order. */
export interface TraceTxn {
  readonly patches: readonly TracePatch[];
}

/** One writer's history: the transactions in order, from an empty document. */
export interface SequentialTrace {
  readonly endContent: string;
  readonly txns: readonly TraceTxn[];
}

export interface ConcurrentTraceTxn extends TraceTxn {
  /** The transactions (indexes, all earlier) whose merged result this one edits. */
  readonly parents: readonly number[];
  readonly agent: number;
}

/** Several writers at once: the transactions in a causal order, each on its parents. */
export interface ConcurrentTrace {
  readonly kind: 'concurrent';
  readonly endContent: string;
  readonly numAgents: number;
  readonly txns: readonly ConcurrentTraceTxn[];
}

/** What a library must offer to replay a concurrent trace: `U` is what one edit sends. */
export interface TraceReplayer<R, U> {
  replica(agent: number): R;
  /** Makes the transaction's patches as local edits; what the others must apply. */
  transact(replica: R, patches: readonly TracePatch[]): U;
  apply(replica: R, update: U): void;
}

/**
 * Replays a concurrent trace: one replica per agent; before each transaction, its agent's
 * replica applies exactly the ancestors of the transaction's parents it does not have yet (in
 * trace order, a causal order), then makes the transaction, whose update is kept for the
 * others. Returns the replicas, every transaction's update, and the replica of the last
 * transaction (which must read as `endContent`).
 */
export function replayConcurrentTrace<R, U>(
  trace: ConcurrentTrace,
  replayer: TraceReplayer<R, U>,
): { replicas: R[]; updates: U[]; last: R } {
  const replicas: R[] = [];
  const has: Uint8Array[] = [];
  for (let a = 0; a < trace.numAgents; a++) {
    replicas.push(replayer.replica(a));
    has.push(new Uint8Array(trace.txns.length));
  }
  const updates: U[] = [];
  trace.txns.forEach((txn, index) => {
    const replica = replicas[txn.agent]!;
    const seen = has[txn.agent]!;
    const missing: number[] = [];
    const stack = [...txn.parents];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen[p]) continue;
      seen[p] = 1;
      missing.push(p);
      stack.push(...trace.txns[p]!.parents);
    }
    missing.sort((a, b) => a - b);
    for (const m of missing) replayer.apply(replica, updates[m]!);
    updates[index] = replayer.transact(replica, txn.patches);
    seen[index] = 1;
  });
  const last = replicas[trace.txns[trace.txns.length - 1]!.agent]!;
  return { replicas, updates, last };
}
