import { type ClockOptions, HybridClock } from '../clocks/hlc.js';
import type { VersionVector } from '../clocks/version-vector.js';
import { ChangeLog } from '../log/change-log.js';
import type { Run } from '../log/run.js';
import type { ActorId } from './actor.js';
import type { CrdtType } from './crdt.js';

/**
 * One CRDT value replicated through a change log: the smallest complete Weft replica, and the
 * kernel's reference for how the layers above use it. Each transaction's deltas are joined
 * into one delta-group, which becomes the payload of one change; the state is the join of the
 * payloads of every change in the log.
 */
export class CrdtReplica<S> {
  readonly log: ChangeLog;
  readonly clock: HybridClock;
  private current: S;

  constructor(
    readonly type: CrdtType<S>,
    readonly actor: ActorId,
    options: ClockOptions = {},
  ) {
    this.log = new ChangeLog(actor);
    this.clock = new HybridClock(actor, options);
    this.current = type.empty();
  }

  get state(): S {
    return this.current;
  }

  /**
   * Runs `mutate` as one transaction. It receives the current state and a `apply(delta)`
   * function; every delta applied is joined into the state at once and, together, recorded as
   * one change.
   */
  transact(mutate: (state: () => S, apply: (delta: S) => void) => void): void {
    let group = this.type.empty();
    let working = this.current;
    mutate(
      () => working,
      (delta) => {
        group = this.type.join(group, delta);
        working = this.type.join(working, delta);
      },
    );
    if (this.type.equals(group, this.type.empty())) return;
    this.log.append(this.clock.now(), this.type.encode(group));
    this.current = working;
  }

  /** One mutation as one transaction: `replica.update((s) => orSetAdd(s, actor, 'x'))`. */
  update(deltaOf: (state: S) => S): void {
    this.transact((state, apply) => apply(deltaOf(state())));
  }

  /** Runs the other side lacks, given its version vector. */
  changesSince(vector: VersionVector): Run[] {
    return this.log.changesSince(vector);
  }

  /**
   * Adds remote runs and joins the deltas of every change that becomes applicable. A run the
   * log rejects throws ChangeRejectedError; a payload that is not a delta of this type throws
   * DecodeError; a stamp too far in the future throws ClockDriftError. Either way the replica
   * is unchanged by the run that failed.
   */
  receive(runs: Iterable<Run>): void {
    for (const run of runs) {
      // Check payloads and clock drift before adding, so a bad run changes nothing.
      for (const change of run.changes) this.type.decode(change.payload);
      const last = run.changes[run.changes.length - 1];
      if (last) this.clock.receive({ wall: last.wall, logical: last.logical, actor: run.actor });
      const { applied } = this.log.add(run);
      for (const r of applied) {
        for (const change of r.changes) {
          this.current = this.type.join(this.current, this.type.decode(change.payload));
        }
      }
    }
  }

  /** Exchanges changes with another replica of the same type, both ways. */
  syncWith(other: CrdtReplica<S>): void {
    if (other.type !== this.type) {
      throw new TypeError(`cannot sync a ${this.type.name} replica with a ${other.type.name} one`);
    }
    other.receive(this.changesSince(other.log.versionVector()));
    this.receive(other.changesSince(this.log.versionVector()));
  }
}
