import { HybridClock } from '../clocks/hlc.js';
import type { VersionVector } from '../clocks/version-vector.js';
import type { DocNode } from '../document/node.js';
import type { DocOp } from '../document/ops.js';
import type { ActorNames } from '../document/read.js';
import { SpaceState } from '../document/space-state.js';
import { ClosedError } from '../errors.js';
import { ChangeLog, type RunSummary } from '../log/change-log.js';
import type { Run } from '../log/run.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { applyRuns } from './apply-runs.js';
import { Collection } from './collection.js';
import type { CollectionOptions } from './collection-view.js';
import { CollectionViews } from './collection-views.js';
import { type HistoryEntry, historyOf } from './history.js';
import { InPlaceWriter } from './in-place.js';
import { Persister, type PersistOptions } from './persister.js';
import type { InferOutput, StandardSchemaV1 } from './schema.js';
import { decodeSnapshot, encodeSnapshot, latestStamp } from './snapshot.js';
import { keys } from './storage-keys.js';
import { StorageSize } from './storage-size.js';
import { readStoredSpace, storedRunsSince } from './stored-log.js';
import { Transaction } from './transaction.js';

export interface SpaceContext {
  readonly storage: StorageAdapter;
  readonly actor: string;
  readonly now?: () => number;
  readonly persist?: PersistOptions;
  /** See DatabaseOptions.confirmWrites. */
  readonly confirmWrites?: (space: string, seq: number) => Promise<void>;
}

/**
 * A space: the unit of replication. It holds one change log, the joined state of its
 * documents (materialized per collection for reads), and writes through one transaction at a
 * time. Reads are synchronous and local; a write's promise resolves once it is durable.
 */
export class Space {
  private readonly views: CollectionViews;
  private readonly handles = new Map<string, Collection<object>>();
  private local: number;
  private readonly names: ActorNames;
  private readonly persister: Persister;
  private tx: Transaction | undefined;
  private readonly listeners = new Set<() => void>();
  private txDurable: Promise<void> | undefined;
  private closed = false;
  private readonly sizes: StorageSize;
  private readonly inPlace: InPlaceWriter;

  private constructor(
    readonly name: string,
    private readonly ctx: SpaceContext,
    private state: SpaceState,
    private log: ChangeLog,
    private readonly clock: HybridClock,
    stored: { runs: number; bytesSinceSnapshot: number },
  ) {
    this.local = state.index(ctx.actor);
    this.names = (i) => this.state.name(i);
    this.views = new CollectionViews(() => this.state, this.names);
    const snapshot = (ordinal: number) => {
      const summaries = this.log.summaryRows();
      if (summaries.length !== ordinal)
        throw new Error('Weft internal error: snapshot out of step with the log');
      return encodeSnapshot({ ordinal, summaries, state: this.state });
    };
    this.inPlace = new InPlaceWriter(
      {
        clock,
        names: this.names,
        wrote: (collection, id) => {
          const view = this.views.get(collection);
          const changes = view.touched(id);
          if (changes.length > 0) view.live.notify(changes);
          this.changed();
          return this.ownWriteDurable();
        },
      },
      ctx.actor,
      state,
      log,
    );
    this.persister = new Persister(
      ctx.storage,
      name,
      () => this.log,
      snapshot,
      stored,
      ctx.persist,
    );
    this.sizes = new StorageSize(ctx.storage, name, () => this.persister.snapshotsWritten);
  }

  /** Opens a space from storage: its snapshot, then the runs written after it. */
  static async open(name: string, ctx: SpaceContext): Promise<Space> {
    const { storage, actor } = ctx;
    const clock = new HybridClock(actor, ctx.now ? { now: ctx.now } : {});
    const { snapshot, tail } = await readStoredSpace(storage, name);
    const state = snapshot?.state ?? new SpaceState();
    const log = snapshot ? ChangeLog.restore(actor, snapshot.summaries) : new ChangeLog(actor);
    const latest = snapshot && latestStamp(snapshot);
    if (latest) clock.advanceTo(latest);
    const ordinal = snapshot?.ordinal ?? 0;
    const tailBytes = tail.reduce((n, runs) => n + runs.bytes, 0);
    const stored = { runs: ordinal + tail.length, bytesSinceSnapshot: tailBytes };
    const space = new Space(name, ctx, state, log, clock, stored);
    for (const { runs } of tail) space.receiveRuns(runs);
    space.persister.loaded();
    space.views.loadAll();
    return space;
  }

  /** A typed handle on a collection; options (schema, field kinds, indexes) apply from now on. */
  collection<S extends StandardSchemaV1>(
    name: string,
    options: CollectionOptions<S> & { schema: S },
  ): Collection<InferOutput<S> & object>;
  collection<T extends object = Record<string, unknown>>(
    name: string,
    options?: CollectionOptions,
  ): Collection<T>;
  collection(name: string, options: CollectionOptions = {}): Collection<object> {
    if (name.length === 0) throw new TypeError('a collection needs a name');
    const view = this.views.get(name);
    view.configure(options);
    let handle = this.handles.get(name);
    if (!handle) {
      handle = new Collection(this, view);
      this.handles.set(name, handle);
    }
    return handle;
  }

  /** Names of the collections that hold documents (or were opened). */
  collectionNames(): string[] {
    return [...new Set([...this.state.collections.keys(), ...this.views.names()])].sort();
  }

  /**
   * Runs `fn` as one transaction: every write inside is one change, atomic here and on every
   * replica. `fn` is synchronous; if it throws, nothing is written. Resolves when durable.
   */
  transact<R>(fn: () => R): Promise<R> {
    if (this.tx) {
      const result = fn(); // nested: part of the transaction in progress
      return this.txDurable!.then(() => result);
    }
    try {
      const { result, durable } = this.write((tx) => {
        tx.undoable();
        const value = fn();
        if (value instanceof Promise)
          throw new TypeError('transact takes a synchronous function; await the writes outside it');
        return value;
      });
      return durable.then(() => result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * @internal Runs `body` in the current transaction, or in one of its own, and returns its
   * result with a promise of durability. Inside `transact`, errors throw synchronously (and
   * abort the transaction); if the transaction aborts, earlier writes' promises reject.
   */
  write<R>(body: (tx: Transaction) => R): { result: R; durable: Promise<void> } {
    this.checkOpen();
    if (this.tx) return { result: body(this.tx), durable: this.txDurable! };
    const stamp = this.clock.now();
    const tx = new Transaction(this.state, this.local, stamp.wall, stamp.logical);
    let settle!: (outcome: Promise<void>) => void;
    const durableOfTx = new Promise<void>((resolve) => {
      settle = resolve as (outcome: Promise<void>) => void;
    });
    durableOfTx.catch(() => {}); // a storage failure reaches the writes through their own promises
    this.tx = tx;
    this.txDurable = durableOfTx;
    try {
      const result = body(tx);
      const durable = this.commit(tx);
      settle(durable);
      return { result, durable };
    } catch (error) {
      tx.abort();
      this.inPlace.cleared();
      // An aborted transaction's writes are never acknowledged: their promises stay pending
      // (the caller learns of the abort from the error, or from transact's rejection).
      settle(new Promise<void>(() => {}));
      throw error;
    } finally {
      this.tx = undefined;
      this.txDurable = undefined;
    }
  }

  /**
   * @internal Writes one operation on one document that creates no dots and can be applied in
   * place (a text or list edit), outside any transaction: what `write` does, without the
   * transaction's copy of the document, for edits that come one keystroke at a time. `plan`
   * gets the document's node and returns the operation, or throws and nothing changes.
   */
  writeInPlace(
    collection: string,
    id: string,
    plan: (node: DocNode | undefined) => DocOp | undefined,
  ): Promise<void> {
    this.checkOpen();
    if (this.tx) throw new Error('Weft internal error: writeInPlace inside a transaction');
    return this.inPlace.write(collection, id, plan);
  }

  /**
   * @internal A text splice outside any transaction that goes on from the change before it
   * (see InPlaceWriter.spliceText); undefined when it cannot, and `writeInPlace` does it.
   */
  spliceTextInPlace(
    collection: string,
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    text: string,
  ): Promise<void> | undefined {
    this.checkOpen();
    if (this.tx) return undefined;
    return this.inPlace.spliceText(collection, id, path, index, deleteCount, text);
  }

  private commit(tx: Transaction): Promise<void> {
    if (tx.empty) return Promise.resolve();
    const payload = tx.payload();
    const committed = tx.commit();
    this.log.append({ wall: tx.wall, logical: tx.logical }, payload);
    this.inPlace.cleared();
    for (const c of committed) this.views.refresh(c.collection, c.each, c.count);
    this.changed();
    return this.ownWriteDurable();
  }

  /** The promise of the change just appended: in storage, and confirmed if confirmation is due. */
  private ownWriteDurable(): Promise<void> {
    const stored = this.persister.schedule();
    const confirm = this.ctx.confirmWrites;
    if (!confirm) return stored;
    const seq = this.log.latestSeq(this.ctx.actor);
    return stored.then(() => confirm(this.name, seq));
  }

  /** @internal The stamp of this replica's latest own change (without sealing its run). */
  lastOwnStamp(): { wall: number; logical: number } | undefined {
    return this.log.lastOwnStamp();
  }

  /** @internal The transaction in progress, if any. */
  get transaction(): Transaction | undefined {
    return this.tx;
  }

  /** @internal */
  get localActor(): number {
    return this.local;
  }

  /** @internal */
  actorNames(): ActorNames {
    return this.names;
  }

  /** @internal The CRDT node of a document (for conflicts and inspection). */
  node(collection: string, id: string) {
    return this.tx?.node(collection, id) ?? this.state.doc(collection, id);
  }

  // ---- replication ------------------------------------------------------------------------

  /** The version vector of this space's log (a copy). */
  versionVector(): VersionVector {
    return this.log.versionVector();
  }

  /** The seq of the latest change of `actor` this space holds (0: none): one entry, no copy. */
  latestSeq(actor: string): number {
    return this.log.latestSeq(actor);
  }

  heads(): string[] {
    return this.log.getHeads();
  }

  /** The newest `limit` runs (summaries: hash, actor, seqs, deps, stamp), oldest first. */
  recentRuns(limit: number): RunSummary[] {
    return this.log.recentSummaries(limit);
  }

  /** What is in storage: what an ack may claim (`versionVector` can be ahead of it). */
  durableVersionVector(): VersionVector {
    return new Map(this.persister.durableVector);
  }

  /**
   * Whether every change this replica made itself is durable. Only those must be before they
   * leave (a crash must not let it reuse their seqs); other replicas' changes can be relayed
   * at once, as their authors keep them and send them again if a crash here lost them.
   */
  ownChangesDurable(): boolean {
    return this.durableOwnSeq() >= this.latestSeq(this.ctx.actor);
  }

  /** The highest seq of this replica's own changes that is durable. */
  durableOwnSeq(): number {
    return this.persister.durableVector.get(this.ctx.actor) ?? 0;
  }

  /** This replica's actor id: the author of its own changes. */
  get actor(): string {
    return this.ctx.actor;
  }

  /** The runs a replica with `vector` lacks if all are in memory (see `changesSinceStored`). */
  changesSinceInMemory(vector: VersionVector): Run[] | undefined {
    const wanted = this.log.changesSinceOrPositions(vector);
    for (const item of wanted) if (typeof item === 'number') return undefined;
    return wanted as Run[];
  }

  /**
   * Runs a replica with `vector` lacks, from memory: only the newest runs keep their bodies
   * there once durable (PersistOptions.runsKeptInMemory), so for older ones this throws
   * HistoryNotLoadedError; `changesSinceStored` reads those from storage.
   */
  changesSince(vector: VersionVector): Run[] {
    return this.log.changesSince(vector);
  }

  /**
   * Like `changesSince`, but runs that live in storage only (a space reopened from a snapshot)
   * are read from the stored log: one range read, from the first such run to the last.
   * Throws HistoryUnavailableError if they are not there (the space started from a snapshot).
   */
  changesSinceStored(vector: VersionVector): Promise<Run[]> {
    return storedRunsSince(this.ctx.storage, this.name, this.log, vector);
  }

  /**
   * Adds runs from another replica: verified, applied in causal order (waiting for missing
   * deps), reflected in documents, indexes and live queries, then made durable.
   */
  async receive(runs: Iterable<Run>): Promise<void> {
    this.receiveSoon(runs);
    await this.persister.schedule();
  }

  /**
   * `receive` without waiting: applies the runs at once, throwing if one is refused (the runs
   * before it stay applied), and schedules their write for the next turn, with whatever else
   * arrives in this one: `onWritten` tells when it lands.
   */
  receiveSoon(runs: Iterable<Run>): void {
    this.checkOpen();
    this.receiveRuns(runs);
    this.persister.scheduleWrite();
  }

  /**
   * Calls `listener` after each batch of this space's writes lands in storage (then
   * `isDurable()` says whether everything is), and once with the error if storage fails.
   * Returns a function that stops it.
   */
  onWritten(listener: (error?: Error) => void): () => void {
    return this.persister.onWritten(listener);
  }

  /** Whether everything in this space is in storage (no write waiting or under way). */
  isDurable(): boolean {
    return this.persister.isDurable();
  }

  /** Whether a replica whose version vector is `vector` has every change of this space. */
  isCoveredBy(vector: VersionVector): boolean {
    return this.log.isCoveredBy(vector);
  }

  private receiveRuns(runs: Iterable<Run>): void {
    this.inPlace.cleared(); // documents may change under it
    const target = { state: this.state, log: this.log, clock: this.clock, actor: this.ctx.actor };
    const touched = applyRuns(target, runs);
    this.views.refreshDocs(touched);
    if (touched.length > 0) this.changed();
  }

  /** Whether the space holds nothing yet: no change made, received or waiting. */
  isEmpty(): boolean {
    return this.log.runCount === 0 && this.log.pendingCount === 0 && !this.tx;
  }

  /**
   * The whole space as a snapshot (state, version vector, run summaries) for a new replica to
   * start from instead of replaying all history (see `adoptSnapshot`). Wait for `flush` first
   * so that it covers only durable changes.
   */
  snapshotForPeer(): { snapshot: Uint8Array; vector: VersionVector } {
    const summaries = this.log.summaryRows();
    const snapshot = encodeSnapshot({ ordinal: summaries.length, summaries, state: this.state });
    return { snapshot, vector: this.log.versionVector() };
  }

  /**
   * Starts an empty space from a peer's snapshot (`snapshotForPeer`): its documents and the
   * summaries of its history, whose changes stay with the peer. Returns the snapshot's
   * version vector, or undefined, changing nothing, if the space is no longer empty. Throws
   * DecodeError for bytes that are not a valid snapshot, ClockDriftError for one whose clock
   * is too far ahead. The documents change at once; resolves once the snapshot is durable.
   */
  async adoptSnapshot(bytes: Uint8Array): Promise<VersionVector | undefined> {
    this.checkOpen();
    if (!this.isEmpty()) return undefined;
    const snapshot = decodeSnapshot(bytes);
    const latest = latestStamp(snapshot);
    if (latest) this.clock.receive(latest); // throws ClockDriftError before anything changes
    this.log = ChangeLog.restore(this.ctx.actor, snapshot.summaries);
    this.state = snapshot.state;
    this.inPlace.replaced(this.state, this.log);
    this.local = this.state.index(this.ctx.actor);
    this.views.refreshAll();
    const vector = this.log.versionVector();
    this.changed();
    await this.persister.adopt(bytes, snapshot.ordinal, vector);
    return vector;
  }

  /**
   * Calls `listener` after every local commit and every remote change this space applies
   * (sync sessions use it to push new changes). Returns the function that unsubscribes.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * The changes that touched one document, oldest first, read from storage (history older
   * than the snapshot is not kept in memory).
   */
  async documentHistory(collection: string, id: string): Promise<HistoryEntry[]> {
    await this.flush();
    const log = await this.ctx.storage.range(keys.log(this.name));
    return historyOf(log, this.state, collection, id);
  }

  /** Bytes this space occupies in storage: its log and its snapshot. */
  async storageSize(): Promise<{ log: number; snapshot: number }> {
    await this.flush();
    return this.sizes.measure();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Resolves when every write so far is durable. */
  flush(): Promise<void> {
    return this.persister.settle();
  }

  /** Counts for `status` (`pending`: runs received whose deps have not arrived yet). */
  stats(): Record<'collections' | 'documents' | 'changes' | 'runs' | 'pending', number> {
    let documents = 0;
    for (const name of this.collectionNames()) documents += this.views.size(name);
    return {
      collections: this.collectionNames().length,
      documents,
      changes: this.log.changeCount,
      runs: this.log.runCount,
      pending: this.log.pendingCount,
    };
  }

  /** Waits for pending writes and leaves a snapshot behind, so the next open is quick. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.persister.snapshotIfBehind();
  }

  private checkOpen(): void {
    if (this.closed) throw new ClosedError(`space "${this.name}" is closed`);
    if (this.persister.failed) throw this.persister.failed;
  }
}
