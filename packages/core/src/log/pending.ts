import { ChangeRejectedError } from '../errors.js';
import type { Hash } from './hash.js';
import { type Run, runEnd } from './run.js';

/** How much a log holds of runs waiting for deps, so a peer cannot fill memory with them. */
export interface PendingLimits {
  /** Runs waiting at once. Default 10,000. */
  readonly maxRuns?: number;
  /** Payload bytes of the runs waiting at once. Default 64 MiB. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_RUNS = 10_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Runs waiting for deps that have not arrived, indexed by what they wait for. */
export class PendingRuns {
  private readonly runs = new Map<Hash, { run: Run; missing: number; bytes: number }>();
  private readonly blockedOn = new Map<Hash, Hash[]>();
  private readonly byActor = new Map<string, Set<Hash>>();
  private totalBytes = 0;
  private readonly maxRuns: number;
  private readonly maxBytes: number;

  constructor(limits: PendingLimits = {}) {
    this.maxRuns = limits.maxRuns ?? DEFAULT_MAX_RUNS;
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  get size(): number {
    return this.runs.size;
  }

  /** Payload bytes of the waiting runs. */
  get bytes(): number {
    return this.totalBytes;
  }

  has(hash: Hash): boolean {
    return this.runs.has(hash);
  }

  /** Throws ChangeRejectedError ('too-many-pending') if `run` would not fit; changes nothing. */
  checkRoom(run: Run): void {
    const bytes = payloadBytes(run);
    if (this.runs.size + 1 > this.maxRuns || this.totalBytes + bytes > this.maxBytes) {
      throw new ChangeRejectedError(
        'too-many-pending',
        `run ${run.actor}:${run.seq} waits for deps, but ${this.runs.size} runs (${this.totalBytes} bytes) already wait; send runs in causal order`,
      );
    }
  }

  park(run: Run, missing: readonly Hash[]): void {
    const bytes = payloadBytes(run);
    this.runs.set(run.hash, { run, missing: missing.length, bytes });
    this.totalBytes += bytes;
    const own = this.byActor.get(run.actor);
    if (own) own.add(run.hash);
    else this.byActor.set(run.actor, new Set([run.hash]));
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
        this.forget(item.run, item.bytes);
        ready.push(item.run);
      }
    }
    this.blockedOn.delete(hash);
    return ready;
  }

  /** A waiting run of the same actor whose seqs overlap `run`'s, if any. */
  overlapping(run: Run): Run | undefined {
    const own = this.byActor.get(run.actor);
    if (own === undefined) return undefined;
    for (const hash of own) {
      const other = this.runs.get(hash)!.run;
      if (other.seq <= runEnd(run) && run.seq <= runEnd(other)) return other;
    }
    return undefined;
  }

  private forget(run: Run, bytes: number): void {
    this.runs.delete(run.hash);
    this.totalBytes -= bytes;
    const own = this.byActor.get(run.actor)!;
    own.delete(run.hash);
    if (own.size === 0) this.byActor.delete(run.actor);
  }
}

function payloadBytes(run: Run): number {
  let n = 0;
  for (const change of run.changes) n += change.payload.length + 16;
  return n;
}
