import type { VersionVector } from '../clocks/version-vector.js';
import { StorageFailedError } from '../errors.js';
import type { ChangeLog } from '../log/change-log.js';
import { type Run, runEnd, storedRun } from '../log/run.js';
import { nextTurnQueue } from '../next-turn.js';
import type { StorageAdapter, StorageOp } from '../storage/adapter.js';
import { keys } from './storage-keys.js';

export interface PersistOptions {
  /**
   * When a batch of writes starts. By default, a write someone waits for (this replica's own
   * changes, which leave only once durable; `flush`) starts once the current task's
   * synchronous work is done (a microtask), so that writes made together share it; changes
   * received from peers, which nobody waits for, are written on the next turn of the event
   * loop, so that those received together (from one peer or many) share a batch and the
   * received changes are applied before any is written. A server passes a scheduler that
   * runs after its relays, so that clients get a change before its write is made durable.
   */
  schedule?: (write: () => void) => void;
  /**
   * How many of the newest runs keep their bodies in memory once durable; older ones are read
   * back from storage when a peer lacks them, so a space's memory does not grow with its
   * history. Default 256.
   */
  runsKeptInMemory?: number;
  /** A snapshot is written once the log since the last one reaches this many bytes (or the
   *  last snapshot's size, whichever is larger), so opening reads little history. Default 1 MiB.
   *  (Each replica goes up to half again past it, see `spread`.) */
  snapshotMinBytes?: number;
}

/**
 * Makes a space's log durable. Writes made in the same tick share one storage batch (group
 * commit): the open run is sealed once and written once, and every write waiting on the batch
 * is acknowledged when it lands. Once the log has grown enough, a snapshot follows in a batch
 * of its own, shortly after, so its cost does not delay the write that crossed the threshold.
 * (A snapshot batch also carries any runs not yet written: a snapshot never covers a run whose
 * body is not in storage.)
 */
export class Persister {
  private persisted: number;
  private bytesSinceSnapshot = 0;
  private lastSnapshotBytes = 0;
  /** A write is deferred (`scheduleWrite`); `waiting` resolves once it lands. */
  private writeQueued = false;
  /** ... and deferred to a microtask, not only to the next turn. */
  private writeSoon = false;
  private waiting: Promise<void> | undefined;
  private resolveWaiting: (() => void) | undefined;
  private rejectWaiting: ((error: unknown) => void) | undefined;
  private readonly listeners = new Set<(error?: Error) => void>();
  private snapshotPending = false;
  private chain: Promise<void> = Promise.resolve();
  /** Steps in `chain` not yet settled: while none, storage that writes at once is written inline. */
  private chainLength = 0;
  private failure: StorageFailedError | undefined;
  private readonly snapshotMinBytes: number;
  private readonly defer: (write: () => void) => void;
  private readonly deferReceived: (write: () => void) => void;
  private readonly runsKeptInMemory: number;
  /** What storage holds: the version vector of the runs written so far. */
  private durable: VersionVector;
  /** Snapshots written since the space opened (so a size read from storage knows it is stale). */
  snapshotsWritten = 0;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly space: string,
    /** The space's log (a space started from a peer's snapshot gets a new one). */
    private readonly currentLog: () => ChangeLog,
    private readonly snapshot: (ordinal: number) => Uint8Array,
    /** Runs already in storage, and the bytes of those written after the last snapshot. */
    stored: { runs: number; bytesSinceSnapshot: number },
    options: PersistOptions = {},
  ) {
    this.persisted = stored.runs;
    this.durable = new Map();
    this.bytesSinceSnapshot = stored.bytesSinceSnapshot;
    this.snapshotMinBytes =
      (options.snapshotMinBytes ?? 1024 * 1024) * spread(currentLog().actor, space);
    // A promise reaction rather than `queueMicrotask`, which Node wraps in an async resource
    // per call: a replica receiving a change at a time defers a write for each.
    this.defer = options.schedule ?? deferToMicrotask;
    this.deferReceived = options.schedule ?? receivedWrites;
    this.runsKeptInMemory = options.runsKeptInMemory ?? 256;
  }

  /** Everything in the log now was read from storage (the space has just opened). */
  loaded(): void {
    this.durable = new Map(this.currentLog().versionVector());
  }

  /** The version vector of what is durable (an ack must not claim more). */
  get durableVector(): VersionVector {
    return this.durable;
  }

  get failed(): StorageFailedError | undefined {
    return this.failure;
  }

  /** Resolves when everything in the log now is durable. */
  schedule(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.scheduleWrite(true);
    this.waiting ??= new Promise<void>((resolve, reject) => {
      this.resolveWaiting = resolve;
      this.rejectWaiting = reject;
    });
    return this.waiting;
  }

  /**
   * Schedules the write of everything in the log now, with no promise to make (`onWritten`
   * tells when it lands): received changes, on the next turn (see PersistOptions.schedule);
   * `soon`, in a microtask (a write already scheduled for the next turn starts then).
   */
  scheduleWrite(soon = false): void {
    if (this.failure || (soon ? this.writeSoon : this.writeQueued)) return;
    this.writeQueued = true;
    this.writeSoon ||= soon;
    (soon ? this.defer : this.deferReceived)(this.writeQueuedRuns);
  }

  /** Whether every run of the log is in storage. */
  isDurable(): boolean {
    return this.persisted === this.currentLog().runCount && this.failure === undefined;
  }

  /** Called after every batch written (with no error), and once storage fails (with it). */
  onWritten(listener: (error?: Error) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The deferred write: at once on storage that writes at once, else behind the chain. */
  private readonly writeQueuedRuns = (): void => {
    // Scheduled twice (for the next turn, then sooner): the first to run writes.
    if (!this.writeQueued) return;
    this.writeQueued = false;
    this.writeSoon = false;
    // Those waiting now wait for this write; a write scheduled from here on makes a new promise.
    const resolve = this.resolveWaiting;
    const reject = this.rejectWaiting;
    this.waiting = undefined;
    this.resolveWaiting = undefined;
    this.rejectWaiting = undefined;
    const writeNow = this.storage.batchNow;
    if (writeNow && this.chainLength === 0) {
      try {
        this.flushNow(writeNow);
      } catch (error) {
        this.settled(error, resolve, reject);
        return;
      }
      this.settled(undefined, resolve, reject);
      return;
    }
    this.enchain(() => this.flush()).then(
      () => this.settled(undefined, resolve, reject),
      (error: unknown) => this.settled(error, resolve, reject),
    );
  };

  /** A write landed (or failed): tells those waiting on it, and the listeners. */
  private settled(
    error: unknown,
    resolve: (() => void) | undefined,
    reject: ((error: unknown) => void) | undefined,
  ): void {
    if (error === undefined) resolve?.();
    else reject?.(error);
    const failure =
      error === undefined ? undefined : error instanceof Error ? error : new Error(String(error));
    for (const listener of this.listeners) listener(failure);
  }

  /** Runs `step` after everything already chained (so batches land in order). */
  private enchain(step: () => Promise<void>): Promise<void> {
    this.chainLength += 1;
    const run = this.chain.then(step).finally(() => {
      this.chainLength -= 1;
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /**
   * Writes a snapshot now if the log has grown since the last one (on close: the next open
   * then reads the snapshot alone).
   */
  async snapshotIfBehind(): Promise<void> {
    await this.settle();
    if (this.bytesSinceSnapshot === 0) return;
    await this.enchain(() => this.flush(true));
  }

  /**
   * Writes the snapshot an empty space started from (see Space.adoptSnapshot): it covers the
   * first `ordinal` runs, whose bodies are not in this storage.
   */
  adopt(snapshot: Uint8Array, ordinal: number, vector: VersionVector): Promise<void> {
    return this.enchain(async () => {
      if (this.failure) throw this.failure;
      await this.write([{ op: 'put', key: keys.snapshot(this.space), data: snapshot }]);
      this.persisted = ordinal;
      for (const [actor, seq] of vector)
        if ((this.durable.get(actor) ?? 0) < seq) this.durable.set(actor, seq);
      this.bytesSinceSnapshot = 0;
      this.lastSnapshotBytes = snapshot.length;
      this.snapshotsWritten += 1;
    });
  }

  /**
   * Waits until everything in the log now is durable: every write scheduled so far, and a run
   * appended but not yet scheduled (a commit tells its listeners, sync sessions among them,
   * before it schedules its write).
   */
  async settle(): Promise<void> {
    if (!this.failure && this.currentLog().runCount > this.persisted) void this.schedule();
    await this.waiting;
    await this.chain;
    if (this.failure) throw this.failure;
  }

  private async flush(withSnapshot = false): Promise<void> {
    const batch = this.nextBatch(withSnapshot);
    if (!batch) return;
    await this.write(batch.ops);
    this.written(batch);
  }

  /** `flush` on storage that writes at once (`batchNow`). */
  private flushNow(writeNow: (ops: readonly StorageOp[]) => void): void {
    const batch = this.nextBatch(false);
    if (!batch) return;
    try {
      writeNow(batch.ops);
    } catch (error) {
      throw this.storageFailed(error);
    }
    this.written(batch);
  }

  /** What the next batch writes: the runs not yet in storage, and a snapshot if asked. */
  private nextBatch(withSnapshot: boolean): Batch | undefined {
    if (this.failure) throw this.failure;
    const runs = this.currentLog().runsFrom(this.persisted);
    if (runs.length === 0 && !withSnapshot) return undefined;
    const ops = new Array<StorageOp>(runs.length);
    let bytes = 0;
    for (let i = 0; i < runs.length; i++) {
      const data = storedRun(runs[i]!);
      bytes += data.length;
      // A run's stored bytes never change (log/encoded-run.ts): storage in memory keeps them.
      const key = keys.logEntry(this.space, this.persisted + i);
      ops[i] = { op: 'put', key, data, immutable: true };
    }
    const ordinal = this.persisted + runs.length;
    const snapshot = withSnapshot ? this.snapshot(ordinal) : undefined;
    if (snapshot) ops.push({ op: 'put', key: keys.snapshot(this.space), data: snapshot });
    return { ops, runs, ordinal, bytes, snapshot };
  }

  /** A batch is in storage: what is durable moves on. */
  private written({ runs, ordinal, bytes, snapshot }: Batch): void {
    this.persisted = ordinal;
    this.currentLog().releaseBodies(ordinal - this.runsKeptInMemory, ordinal - RUNS_KEPT_DECODED);
    for (const run of runs) {
      if ((this.durable.get(run.actor) ?? 0) < runEnd(run))
        this.durable.set(run.actor, runEnd(run));
    }
    if (snapshot) {
      this.bytesSinceSnapshot = 0;
      this.lastSnapshotBytes = snapshot.length;
      this.snapshotPending = false;
      this.snapshotsWritten += 1;
    } else {
      this.bytesSinceSnapshot += bytes;
      const threshold = Math.max(this.snapshotMinBytes, this.lastSnapshotBytes);
      if (this.bytesSinceSnapshot >= threshold) this.snapshotSoon();
    }
  }

  /** Queues a snapshot batch on the next macrotask, behind the writes already queued. */
  private snapshotSoon(): void {
    if (this.snapshotPending) return;
    this.snapshotPending = true;
    void this.enchain(() =>
      new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.flush(true)),
    ).catch(() => {}); // (a failure is kept in `failure`: the next write reports it)
  }

  private async write(ops: readonly StorageOp[]): Promise<void> {
    try {
      await this.storage.batch(ops);
    } catch (error) {
      throw this.storageFailed(error);
    }
  }

  /** Storage failed: every later write fails too, as unacknowledged writes may be lost. */
  private storageFailed(error: unknown): StorageFailedError {
    this.failure = new StorageFailedError(
      `could not write space "${this.space}" to storage: ${error instanceof Error ? error.message : String(error)}; ` +
        'unacknowledged writes are lost: reopen the database',
      { cause: error },
    );
    return this.failure;
  }
}

/** Of the runs kept in memory, how many of the newest keep their changes decoded. */
const RUNS_KEPT_DECODED = 4;

/** One storage batch of the log: its ops, and what they make durable. */
interface Batch {
  readonly ops: StorageOp[];
  readonly runs: readonly Run[];
  readonly ordinal: number;
  readonly bytes: number;
  readonly snapshot: Uint8Array | undefined;
}

/**
 * A factor in [1, 1.5) fixed by the replica's actor and the space: replicas fed the same
 * changes (clients of one space in one process, a test's replicas) reach their snapshot
 * thresholds at different changes rather than all taking a snapshot in the same moment.
 * Derived, not random, so a seeded run does the same each time.
 */
function spread(actor: string | undefined, space: string): number {
  let hash = 0x811c9dc5; // FNV-1a
  const text = `${actor ?? ''}\u0000${space}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return 1 + (hash >>> 0) / 2 ** 33;
}

/** One turn-end queue for every space's received writes: one timer however many spaces. */
const receivedWrites = nextTurnQueue();

const settled = Promise.resolve();

/** Runs `write` once the current task's synchronous work is done (in a microtask). */
function deferToMicrotask(write: () => void): void {
  void settled.then(write);
}
