import { ChangeRejectedError } from '../errors.js';
import type { Hash } from './hash.js';
import type { PendingRuns } from './pending.js';
import type { Run } from './run.js';

// The rules a run must meet against the log it is added to (ChangeLog.add): every replica
// checks them the same way, from the run and its deps only.

/** What the rules read of a run already in the log. */
export interface LoggedRun {
  readonly actor: string;
  readonly seq: number;
  readonly count: number;
  readonly lastWall: number;
  readonly lastLogical: number;
}

const end = (r: LoggedRun) => r.seq + r.count - 1;

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
export function checkKnownDeps(run: Run, logged: { get(hash: Hash): LoggedRun | undefined }): void {
  for (const dep of run.deps) {
    const parent = logged.get(dep);
    if (parent && parent.actor === run.actor && end(parent) !== run.seq - 1) seqGap(run);
  }
}

/**
 * With every dep present (`parents`: the logged run of each dep, in order): a run after seq 1
 * names its actor's previous run (ending at seq - 1) among its deps; a run at seq 1 names no
 * run of its own actor; the log holds the actor's seqs up to seq - 1 (`have`); and its first
 * stamp is later than its predecessor's last.
 */
export function checkAgainstDeps(run: Run, parents: readonly LoggedRun[], have: number): void {
  let predecessor: LoggedRun | undefined;
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i]!;
    if (parent.actor !== run.actor) continue;
    if (end(parent) !== run.seq - 1 || predecessor) seqGap(run);
    predecessor = parent;
  }
  if (run.seq > 1 && !predecessor) seqGap(run);
  if (have !== run.seq - 1) seqGap(run);
  if (predecessor) {
    const first = run.changes[0]!;
    const { lastWall, lastLogical } = predecessor;
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
