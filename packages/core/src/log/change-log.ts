import type { VersionVector } from '../clocks/version-vector.js';
import type { Writer } from '../encoding/writer.js';
import { ChangeRejectedError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';
import type { Hash } from './hash.js';
import { HashIndex } from './hash-index.js';
import { type PendingLimits, PendingRuns } from './pending.js';
import { type Change, changeAt, checkRunShape, type Run, runHashMatches } from './run.js';
import { RunBuilder } from './run-builder.js';
import { checkAgainstDeps, checkKnownDeps, checkNoOverlap } from './run-rules.js';
import { RunTable } from './run-table.js';
import type { RunSummary, SummaryRows } from './summary-codec.js';

export type { RunSummary } from './summary-codec.js';

/** What `add` did with a run. */
export interface AddResult {
  /** Runs applied by this call, in causal order: the run itself and any it unblocked. */
  readonly applied: readonly Run[];
  /** The run was already in the log (or already waiting): nothing changed. */
  readonly duplicate: boolean;
  /** The run waits for missing deps. */
  readonly pending: boolean;
  /** Waiting runs that this call unblocked but that broke a rule once their deps were known. */
  readonly rejected: readonly ChangeRejectedError[];
}

/**
 * A space's history: a Merkle DAG of runs of changes (see run.ts), with heads, a version
 * vector, causal iteration and "what does a replica with this vector lack?".
 *
 * Remote runs go through `add`, which verifies them and either applies them, parks them until
 * their deps arrive, or rejects them with a ChangeRejectedError leaving the log as it was.
 * Local changes go through `append`, which extends the open run while nothing else happened
 * in between, so a burst of local changes costs one hash when the run is sealed.
 */
export class ChangeLog {
  /** Every run, by position in the order they were applied: a causal order. */
  private readonly table = new RunTable();
  private readonly byHash: HashIndex;
  /** Each actor's runs (positions), in seq order and contiguous from seq 1. */
  private readonly byActor = new Map<ActorId, number[]>();
  /** The version vector, except the open run's last changes when `vvBehind` (see `vv`). */
  private readonly vector: VersionVector = new Map();
  private vvBehind = false;
  /** The positions of the runs nothing depends on yet (a few, mostly one), in no order. */
  private readonly heads: number[] = [];
  private readonly waiting: PendingRuns;
  /** The position of the open run (-1: none). */
  private open = -1;
  /** The last run's hash, as the string its run came with (`parentsOf` compares it). */
  private lastHash: Hash | undefined;
  /** The open run's changes, which `append` extends (one builder, reused run after run). */
  private readonly builder = new RunBuilder();
  /** The positions of the open run's deps, in the order of its deps. */
  private openDeps: number[] = [];

  constructor(
    readonly actor?: ActorId,
    limits: PendingLimits = {},
  ) {
    this.waiting = new PendingRuns(limits);
    this.byHash = new HashIndex(this.table);
  }

  /** The version vector (brought up to the open run's end first: appends leave that to here). */
  private get vv(): VersionVector {
    if (this.vvBehind) {
      this.vvBehind = false;
      this.vector.set(this.table.actor(this.open), this.table.end(this.open));
    }
    return this.vector;
  }

  /**
   * A log rebuilt from run summaries in causal order (from a snapshot): it knows every run's
   * hash, place and deps, so it checks and accepts new runs, while the bodies stay in storage.
   */
  static restore(
    actor: ActorId | undefined,
    summaries: readonly RunSummary[],
    limits: PendingLimits = {},
  ): ChangeLog {
    const log = new ChangeLog(actor, limits);
    for (const s of summaries) {
      if ((log.vv.get(s.actor) ?? 0) !== s.seq - 1 || s.count < 1 || log.byHash.has(s.hash)) {
        throw new RangeError(`run summary ${s.actor}:${s.seq} does not follow the runs before it`);
      }
      const parents = s.deps.map((dep) => {
        const parent = log.byHash.get(dep);
        if (parent === undefined)
          throw new RangeError(`run summary ${s.actor}:${s.seq} names an unknown dep`);
        return parent;
      });
      const pos = log.insert(s.actor, s.seq, s.count, s.lastWall, s.lastLogical, s.hash, parents);
      log.table.release(pos);
    }
    return log;
  }

  /** Every run, in causal order, as a snapshot writes their summaries. Seals the open run. */
  summaryRows(): SummaryRows {
    this.seal();
    return this.table;
  }

  /** The summaries of the last `limit` runs of the causal order. Seals the open run. */
  recentSummaries(limit: number): RunSummary[] {
    this.seal();
    const from = Math.max(0, this.table.length - limit);
    const out = new Array<RunSummary>(this.table.length - from);
    for (let i = 0; i < out.length; i++) out[i] = this.table.summary(from + i);
    return out;
  }

  // ---- reading ---------------------------------------------------------------------------

  /** Hashes of the runs nothing depends on yet, sorted. Seals the open run. */
  getHeads(): Hash[] {
    this.seal();
    return this.heads.map((pos) => this.table.hash(pos)!).sort();
  }

  /** The highest seq of `actor` in the log (0: none). */
  latestSeq(actor: ActorId): number {
    return this.vv.get(actor) ?? 0;
  }

  /** The stamp of this log's actor's latest change, if it has one. */
  lastOwnStamp(): { wall: number; logical: number } | undefined {
    const last = this.actor === undefined ? undefined : this.byActor.get(this.actor)?.at(-1);
    return last === undefined
      ? undefined
      : { wall: this.table.lastWall(last), logical: this.table.lastLogical(last) };
  }

  /** A copy of the version vector: per actor, the highest seq in the log. */
  versionVector(): VersionVector {
    return new Map(this.vv);
  }

  /** Whether a replica whose version vector is `vector` has every change of this log. */
  isCoveredBy(vector: VersionVector): boolean {
    // (Not `for (const [actor, seq] of …)`, a pair per entry: every session asks per change.)
    const vv = this.vv;
    for (const actor of vv.keys()) if ((vector.get(actor) ?? 0) < vv.get(actor)!) return false;
    return true;
  }

  has(hash: Hash): boolean {
    return this.byHash.has(hash);
  }

  /** Whether the log holds change `seq` of `actor`. */
  hasChange(actor: ActorId, seq: number): boolean {
    return seq >= 1 && seq <= (this.vv.get(actor) ?? 0);
  }

  get runCount(): number {
    return this.table.length;
  }

  get changeCount(): number {
    let n = 0;
    for (const seq of this.vv.values()) n += seq;
    return n;
  }

  get pendingCount(): number {
    return this.waiting.size;
  }

  /** Every run held in memory, in causal order. Seals the open run. */
  runs(): Run[] {
    this.seal();
    const out: Run[] = [];
    for (let pos = 0; pos < this.table.length; pos++)
      if (this.table.isInMemory(pos)) out.push(this.table.runAt(pos));
    return out;
  }

  /** Every change held in memory, in causal order (the open run's too, without sealing it). */
  *changes(): IterableIterator<Change> {
    const table = this.table;
    for (let pos = 0; pos < table.length; pos++) {
      if (!table.isInMemory(pos)) continue;
      const changes = pos === this.open ? this.builder.changes() : this.table.runAt(pos).changes;
      const run = { actor: table.actor(pos), seq: table.seq(pos), deps: [], changes };
      for (let i = 0; i < changes.length; i++) yield changeAt(run, i);
    }
  }

  /** Runs after the first `from` runs of the causal order (for persisting what is new). */
  runsFrom(from: number): Run[] {
    this.seal();
    const out = new Array<Run>(Math.max(0, this.table.length - from));
    for (let i = 0; i < out.length; i++) out[i] = this.table.runAt(from + i);
    return out;
  }

  /**
   * The runs a replica whose version vector is `vector` lacks, in an order it can apply.
   * A replica's vector always ends on run boundaries (runs are sealed before they travel).
   */
  changesSince(vector: VersionVector): Run[] {
    return this.positionsSince(vector).map((pos) => this.table.runAt(pos));
  }

  /**
   * Like `changesSince`, but a run whose body is in storage only (restored from a snapshot)
   * comes as its position in the causal order, which is its key in the stored log.
   */
  changesSinceOrPositions(vector: VersionVector): (Run | number)[] {
    return this.positionsSince(vector).map((pos) =>
      this.table.isInMemory(pos) ? this.table.runAt(pos) : pos,
    );
  }

  /**
   * Lets go of the bodies of the runs before position `before` in the causal order, which the
   * caller has in storage (under their positions), keeping what the log needs of them: hash,
   * actor, seqs, deps and stamp. The log goes on checking new runs against them; their bodies
   * come back from storage (`changesSinceOrPositions` gives their positions), and
   * `changesSince` throws HistoryNotLoadedError for them. The open run is never released.
   * Runs from `before` up to `decodedBefore` keep their bytes only, read again when asked for.
   */
  releaseBodies(before: number, decodedBefore = before): void {
    this.table.releaseBodies(before, decodedBefore, this.open);
  }

  /** The hash of the run at a position of the causal order. */
  hashAt(pos: number): Hash | undefined {
    return pos >= 0 && pos < this.table.length ? this.table.hash(pos) : undefined;
  }

  /** Each actor's runs past `vector`, found by binary search, merged into causal order. */
  private positionsSince(vector: VersionVector): number[] {
    this.seal();
    const out: number[] = [];
    for (const [actor, own] of this.byActor) {
      const have = vector.get(actor) ?? 0;
      let lo = 0;
      let hi = own.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.table.end(own[mid]!) > have) hi = mid;
        else lo = mid + 1;
      }
      for (let i = lo; i < own.length; i++) out.push(own[i]!);
    }
    return out.sort((a, b) => a - b);
  }

  // ---- writing ---------------------------------------------------------------------------

  /**
   * Records a local change of this log's actor and returns its seq. `stamp` comes from the
   * actor's HybridClock, so it is later than everything the log holds.
   */
  append(stamp: { wall: number; logical: number }, payload: Uint8Array): number {
    const goesOn = this.openBuilder(stamp.wall, stamp.logical);
    this.builder.add(stamp.wall, stamp.logical, payload);
    return this.appended(goesOn);
  }

  /** `append` of the bytes a writer holds (copied: the writer can be reused). */
  appendWritten(wall: number, logical: number, payload: Writer): number {
    const goesOn = this.openBuilder(wall, logical);
    this.builder.addWritten(wall, logical, payload);
    return this.appended(goesOn);
  }

  /**
   * Whether the next `append` goes on with the open run (nothing else happened since its last
   * change), rather than starting a new one. A payload may refer back to the change before it
   * in its run (document/edit-context.ts), so a writer asks before it encodes.
   */
  continuesRun(): boolean {
    const open = this.open;
    return open >= 0 && this.heads.length === 1 && this.heads[0] === open;
  }

  /**
   * Readies the builder for the next change: the open run goes on (true), or a new run starts
   * (false). Throws, changing nothing but sealing the open run, for a stamp that goes back.
   */
  private openBuilder(wall: number, logical: number): boolean {
    const actor = this.actor;
    if (actor === undefined)
      throw new Error('this ChangeLog has no local actor; pass one to the constructor');
    if (this.continuesRun()) {
      const lastWall = this.table.lastWall(this.open);
      if (wall < lastWall || (wall === lastWall && logical <= this.table.lastLogical(this.open))) {
        throw new RangeError(
          'append needs a stamp later than the previous change (use HybridClock.now())',
        );
      }
      return true;
    }
    this.seal();
    const parents = new Set(this.heads);
    // Name our own previous run too, so every replica can check seqs without walking the DAG.
    const previous = this.byActor.get(actor)?.at(-1);
    if (previous !== undefined) parents.add(previous);
    const deps = [...parents].map((pos) => ({ pos, hash: this.table.hash(pos)! }));
    deps.sort((a, b) => (a.hash < b.hash ? -1 : 1));
    this.openDeps = deps.map((d) => d.pos);
    const seq = (this.vv.get(actor) ?? 0) + 1;
    this.builder.start(
      actor,
      seq,
      deps.map((d) => d.hash),
    );
    return false;
  }

  /** Records the change just added to the builder (the open run's next, or a new run's first). */
  private appended(goesOn: boolean): number {
    const builder = this.builder;
    const seq = builder.seq + builder.count - 1;
    const open = this.open;
    if (goesOn && open >= 0) {
      this.table.extend(open, builder.count, builder.lastWall, builder.lastLogical);
      this.vvBehind = true; // a Map.set per keystroke, left to the next reader
      return seq;
    }
    this.open = this.insert(
      builder.actor,
      builder.seq,
      1,
      builder.lastWall,
      builder.lastLogical,
      undefined,
      this.openDeps,
    );
    return seq;
  }

  /** Computes the open run's hash; later local changes start a new run. */
  seal(): void {
    const open = this.open;
    if (open < 0) return;
    void this.vv; // up to date before the open run closes
    const run = this.builder.seal();
    this.table.setHash(open, run.hash);
    this.table.setRun(open, run);
    this.byHash.sealed(open, run.hash);
    if (open === this.table.length - 1) this.lastHash = run.hash;
    this.open = -1;
  }

  /**
   * Adds a run received from elsewhere. Throws ChangeRejectedError (the log unchanged) for a
   * bad hash, a seq gap, equivocation or a malformed run.
   */
  add(run: Run): AddResult {
    checkRunShape(run);
    if (!runHashMatches(run)) {
      throw new ChangeRejectedError(
        'bad-hash',
        `run ${run.actor}:${run.seq} does not match its hash ${run.hash}`,
      );
    }
    const waiting = this.waiting;
    const have = this.vv.get(run.actor) ?? 0;
    // (A logged run with this hash has this actor and seq: only one at or below `have` can be.)
    if (
      (run.seq <= have && this.byHash.has(run.hash)) ||
      (waiting.size > 0 && waiting.has(run.hash))
    ) {
      return DUPLICATE;
    }
    checkNoOverlap(run, have, waiting);
    if (run.seq > 1 && run.deps.length === 0) {
      throw new ChangeRejectedError(
        'seq-gap',
        `run ${run.actor}:${run.seq} depends on nothing, so seqs 1…${run.seq - 1} can never arrive`,
      );
    }
    const parents = this.parentsOf(run);
    if (!parents) {
      const missing = run.deps.filter((dep) => !this.byHash.has(dep));
      checkKnownDeps(run, (hash) => this.byHash.get(hash), this.table);
      waiting.checkRoom(run);
      waiting.park(run, missing);
      return { applied: NONE, duplicate: false, pending: true, rejected: NONE };
    }
    checkAgainstDeps(run, parents, this.table, have);
    this.insertRun(run, parents);
    if (waiting.size === 0)
      return { applied: [run], duplicate: false, pending: false, rejected: NONE };
    const applied: Run[] = [run];
    const rejected: ChangeRejectedError[] = [];
    this.applyUnblocked(applied, rejected);
    return { applied, duplicate: false, pending: false, rejected };
  }

  /** The positions of a run's deps, in order; undefined if one is not in the log. */
  private parentsOf(run: Run): number[] | undefined {
    const deps = run.deps;
    const parents = new Array<number>(deps.length);
    // Mostly a run follows the last one: no lookup in a map of every hash.
    const last = this.table.length - 1;
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i]!;
      const parent = dep === this.lastHash ? last : this.byHash.get(dep);
      if (parent === undefined) return undefined;
      parents[i] = parent;
    }
    return parents;
  }

  /**
   * Applies the waiting runs that the runs in `applied` (the queue, already applied) unblock,
   * and those they unblock, in causal order, appending them to `applied`.
   */
  private applyUnblocked(applied: Run[], rejected: ChangeRejectedError[]): void {
    for (let i = 0; i < applied.length; i++) {
      if (this.waiting.size === 0) return;
      for (const ready of this.waiting.resolve(applied[i]!.hash)) {
        try {
          const have = this.vv.get(ready.actor) ?? 0;
          checkNoOverlap(ready, have, this.waiting);
          const parents = this.parentsOf(ready)!; // (resolved: every dep is in the log now)
          checkAgainstDeps(ready, parents, this.table, have);
          this.insertRun(ready, parents);
          applied.push(ready);
        } catch (error) {
          if (!(error instanceof ChangeRejectedError)) throw error;
          rejected.push(error);
        }
      }
    }
  }

  /** Puts a received run at the end of the causal order, decoded. */
  private insertRun(run: Run, parents: readonly number[]): void {
    const n = run.changes.length;
    const last = run.changes[n - 1]!;
    const pos = this.insert(run.actor, run.seq, n, last.wall, last.logical, run.hash, parents);
    this.table.setRun(pos, run);
  }

  /**
   * Puts a run at the end of the causal order (its hash: none while it is the open run) and
   * returns its position; `parents`: the positions of its deps.
   */
  private insert(
    runActor: ActorId,
    seq: number,
    count: number,
    lastWall: number,
    lastLogical: number,
    hash: Hash | undefined,
    parents: readonly number[],
  ): number {
    const actor = this.table.actorString(runActor); // one string per actor, not one per run
    const pos = this.table.push(actor, seq, count, lastWall, lastLogical, hash, parents);
    this.lastHash = hash;
    const own = this.byActor.get(actor);
    if (own) own.push(pos);
    else this.byActor.set(actor, [pos]);
    this.vv.set(actor, this.table.end(pos));
    this.replaceHeads(parents, pos);
    return pos;
  }

  /** The run at `pos` is a head; its parents are not. */
  private replaceHeads(parents: readonly number[], pos: number): void {
    const heads = this.heads;
    // Mostly one head, the new run's one parent: replaced in place, nothing allocated (a Set
    // would make a new table every few runs, and a replica adds a run per change it receives).
    if (heads.length === 1 && parents.length === 1 && heads[0] === parents[0]) {
      heads[0] = pos;
      return;
    }
    const many = parents.length > 8 ? new Set(parents) : undefined;
    let kept = 0;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!(many ? many.has(head) : parents.includes(head))) heads[kept++] = head;
    }
    heads.length = kept;
    heads.push(pos);
  }
}

const NONE: readonly never[] = Object.freeze([]);
const DUPLICATE: AddResult = Object.freeze({
  applied: NONE,
  duplicate: true,
  pending: false,
  rejected: NONE,
});
