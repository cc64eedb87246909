import { ChangeRejectedError } from '../errors.js';
import type { Hash } from './hash.js';
import type { PendingRuns } from './pending.js';
import type { Run } from './run.js';

// The rules a run must meet against the log it is added to (ChangeLog.add): every replica
// checks them the same way, from the run and its deps only.

/** What the rules read of the runs already in the log, by position (a RunTable). */
export interface LoggedRuns {
  actor(pos: number): string;
  /** The seq of the run's last change. */
  end(pos: number): number;
  lastWall(pos: number): number;
  lastLogical(pos: number): number;
}

/**
 * An actor's seqs are used once: a different run over known seqs (`have`: the actor's highest
 * seq in the log) or over a waiting run's is equivocation.
 */
export function checkNoOverlap(run: Run, have: number, waiting: PendingRuns): void {
  if (run.seq <= have) {
    throw new ChangeRejectedError(
      'equivocation',
      `actor ${run.actor} already has seqs up to ${have}, and run ${run.actor}:${run.seq} (${run.hash}) reuses them with other content`,
    );
  }
  const rival = waiting.overlapping(run);
  if (rival) {
    throw new ChangeRejectedError(
      'equivocation',
      `run ${run.actor}:${run.seq} (${run.hash}) overlaps waiting run ${rival.actor}:${rival.seq} (${rival.hash})`,
    );
  }
}

/** The deps the log already holds must not rule the run out; checked before parking it. */
export function checkKnownDeps(
  run: Run,
  positionOf: (hash: Hash) => number | undefined,
  logged: LoggedRuns,
): void {
  for (const dep of run.deps) {
    const parent = positionOf(dep);
    if (
      parent !== undefined &&
      logged.actor(parent) === run.actor &&
      logged.end(parent) !== run.seq - 1
    )
      seqGap(run);
  }
}

/**
 * With every dep present (`parents`: the position of each dep's run, in order): a run after seq 1
 * names its actor's previous run (ending at seq - 1) among its deps; a run at seq 1 names no
 * run of its own actor; the log holds the actor's seqs up to seq - 1 (`have`); and its first
 * stamp is later than its predecessor's last.
 */
export function checkAgainstDeps(
  run: Run,
  parents: readonly number[],
  logged: LoggedRuns,
  have: number,
): void {
  let predecessor = -1;
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i]!;
    if (logged.actor(parent) !== run.actor) continue;
    if (logged.end(parent) !== run.seq - 1 || predecessor >= 0) seqGap(run);
    predecessor = parent;
  }
  if (run.seq > 1 && predecessor < 0) seqGap(run);
  if (have !== run.seq - 1) seqGap(run);
  if (predecessor >= 0) {
    const first = run.changes[0]!;
    const lastWall = logged.lastWall(predecessor);
    const lastLogical = logged.lastLogical(predecessor);
    if (first.wall < lastWall || (first.wall === lastWall && first.logical <= lastLogical)) {
      throw new ChangeRejectedError(
        'invalid-change',
        `run ${run.actor}:${run.seq} has a stamp earlier than its actor's previous change`,
      );
    }
  }
}

function seqGap(run: Run): never {
  throw new ChangeRejectedError(
    'seq-gap',
    `run ${run.actor}:${run.seq} does not follow its actor's change ${run.seq - 1}; the gap can never fill`,
  );
}
