// The editing traces of the text benchmark: the copies the core's tests use (see
// packages/core/test/text/traces/SOURCES.md for their source and licence, CC BY 4.0).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type Patch = readonly [pos: number, deleted: number, inserted: string];

export interface Txn {
  readonly patches: readonly Patch[];
}

export interface SequentialTrace {
  readonly endContent: string;
  readonly txns: readonly Txn[];
}

export interface ConcurrentTxn extends Txn {
  readonly parents: readonly number[];
  readonly agent: number;
}

export interface ConcurrentTrace {
  readonly endContent: string;
  readonly numAgents: number;
  readonly txns: readonly ConcurrentTxn[];
}

const dir = new URL('../../../packages/core/test/text/traces/', import.meta.url);

export function loadTrace<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(new URL(`${name}.json.gz`, dir))).toString('utf8'));
}

/** The content after `txns`, by plain string splicing (the reference for a truncated trace). */
export function spliceAll(txns: readonly Txn[]): string {
  let s = '';
  for (const txn of txns) {
    for (const [pos, del, ins] of txn.patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  }
  return s;
}

/**
 * Replays a concurrent trace (CONCURRENT-TRACES-FORMAT.md): one replica per agent; before each
 * transaction its agent's replica gets exactly the missing ancestors of the transaction's
 * parents (in trace order, a causal order), then makes the transaction as a local edit whose
 * update is kept for the others. Returns the text of the last transaction's replica.
 */
export function replayConcurrent<R, U>(
  trace: ConcurrentTrace,
  lib: {
    replica(agent: number): R;
    transact(replica: R, patches: readonly Patch[]): U;
    apply(replica: R, update: U): void;
    text(replica: R): string;
    free?(replica: R): void;
  },
): string {
  const replicas: R[] = [];
  const has: Uint8Array[] = [];
  for (let a = 0; a < trace.numAgents; a++) {
    replicas.push(lib.replica(a));
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
    for (const m of missing) lib.apply(replica, updates[m]!);
    updates[index] = lib.transact(replica, txn.patches);
    seen[index] = 1;
  });
  const text = lib.text(replicas[trace.txns[trace.txns.length - 1]!.agent]!);
  if (lib.free) for (const replica of replicas) lib.free(replica);
  return text;
}
