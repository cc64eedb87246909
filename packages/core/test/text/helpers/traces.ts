import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type Patch = [pos: number, deleted: number, inserted: string];

export interface SequentialTrace {
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly Patch[] }[];
}

export interface ConcurrentTrace {
  readonly kind: 'concurrent';
  readonly endContent: string;
  readonly numAgents: number;
  readonly txns: readonly {
    readonly parents: readonly number[];
    readonly agent: number;
    readonly patches: readonly Patch[];
  }[];
}

const dir = new URL('../traces/', import.meta.url);

export function loadTrace<T = SequentialTrace>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(new URL(`${name}.json.gz`, dir))).toString('utf8'));
}

/** What a replica must offer to replay a concurrent trace. */
export interface TraceReplica<Op> {
  splice(pos: number, del: number, text: string): Op[];
  apply(op: Op): unknown;
}

/**
 * Replays a concurrent trace as CONCURRENT-TRACES-FORMAT.md describes: one replica per agent;
 * before a transaction, its agent's replica receives (in trace order, a causal order) exactly
 * the ancestors of the transaction's parents it does not have yet; then it makes the
 * transaction's patches as local edits, whose ops are recorded for the other replicas.
 * Returns the replicas and the ops of every transaction.
 */
export function replayConcurrent<Op, R extends TraceReplica<Op>>(
  trace: ConcurrentTrace,
  makeReplica: (agent: number) => R,
): { replicas: R[]; ops: Op[][] } {
  const replicas: R[] = [];
  const has: Uint8Array[] = [];
  for (let a = 0; a < trace.numAgents; a++) {
    replicas.push(makeReplica(a));
    has.push(new Uint8Array(trace.txns.length));
  }
  const ops: Op[][] = [];
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
    for (const m of missing) for (const op of ops[m]!) replica.apply(op);
    const made: Op[] = [];
    for (const [pos, del, text] of txn.patches) made.push(...replica.splice(pos, del, text));
    ops[index] = made;
    seen[index] = 1;
  });
  return { replicas, ops };
}
