import { HistoryNotLoadedError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';
import type { Hash } from './hash.js';
import { decodeRuns, type Run } from './run.js';

// What a ChangeLog keeps of each run (change-log.ts).

/**
 * A run in the log. The local actor's newest run stays open (unsealed, growing: its changes are
 * in the log's RunBuilder) until sealed. A run restored from a snapshot summary is not in
 * memory: its body is in storage.
 */
export interface Entry {
  /** Place in the causal order: the index in `entries`, and the run's key in the stored log. */
  pos: number;
  actor: ActorId;
  seq: number;
  deps: readonly Hash[];
  /** Whether the run's changes are in memory (in `run`, or in the builder while open). */
  inMemory: boolean;
  count: number;
  lastWall: number;
  lastLogical: number;
  hash: Hash | undefined;
  /** The run as received, or as made once sealed: handed out as is (it no longer changes). */
  run: Run | undefined;
  /**
   * Once only its bytes are kept (see ChangeLog.releaseBodies): where they lie. `run` is then
   * undefined, and the run is read from them when asked for.
   */
  storedBuffer: ArrayBufferLike | undefined;
  storedAt: number;
  storedLength: number;
}

/** What the log keeps of a run whose body lives only in storage. */
export interface RunSummary {
  readonly hash: Hash;
  readonly actor: ActorId;
  readonly seq: number;
  readonly count: number;
  readonly deps: readonly Hash[];
  readonly lastWall: number;
  readonly lastLogical: number;
}

export function entryEnd(e: Entry): number {
  return e.seq + e.count - 1;
}

export function summaryOf(e: Entry): RunSummary {
  return {
    hash: e.hash!,
    actor: e.actor,
    seq: e.seq,
    count: e.count,
    deps: e.deps,
    lastWall: e.lastWall,
    lastLogical: e.lastLogical,
  };
}

export function entryFromRun(run: Run): Entry {
  const last = run.changes[run.changes.length - 1]!;
  return {
    pos: 0,
    actor: run.actor,
    seq: run.seq,
    deps: run.deps,
    inMemory: true,
    count: run.changes.length,
    lastWall: last.wall,
    lastLogical: last.logical,
    hash: run.hash,
    run,
    storedBuffer: undefined,
    storedAt: 0,
    storedLength: 0,
  };
}

/** The run of a sealed entry (every caller seals first). */
export function asRun(e: Entry): Run {
  if (e.run) return e.run;
  if (e.storedBuffer)
    return decodeRuns(new Uint8Array(e.storedBuffer, e.storedAt, e.storedLength))[0]!;
  throw new HistoryNotLoadedError(
    `run ${e.actor}:${e.seq} is in storage, not in memory: read it from there (Space.changesSinceStored)`,
  );
}
