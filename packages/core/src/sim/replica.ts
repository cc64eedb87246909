import type { Collection } from '../database/collection.js';
import type { CollectionOptions } from '../database/collection-view.js';
import { type Database, openDatabase } from '../database/database.js';
import type { Space } from '../database/space.js';
import type { PlainObject } from '../document/plain.js';
import { SyncSession } from '../sync/session.js';
import { type DiskMount, SimDisk } from './disk.js';
import type { Connection } from './network.js';
import { applyEdits, type SimOp, type SimWrite } from './ops.js';

export type SimCollections = Readonly<Record<string, CollectionOptions>>;

/** A replica's process while it runs: its database, space and collections. */
export interface SimProcess {
  readonly mount: DiskMount;
  readonly db: Database;
  readonly space: Space;
  readonly collections: ReadonlyMap<string, Collection<PlainObject>>;
  /** The stamp of the transaction committed last (read as it commits). */
  lastStamp: { wall: number; logical: number } | undefined;
}

/**
 * A simulated replica: a disk that survives crashes, and at most one running process (a
 * database opened on the disk, with one space). `crash` drops the process without closing
 * anything: writes not yet durable are lost, as in a real crash; `open` starts a new process
 * from what is on the disk.
 */
export class SimReplica {
  readonly disk = new SimDisk();
  process: SimProcess | undefined;
  /** Sessions by connection (one per link at most). */
  readonly sessions = new Map<Connection, SyncSession>();
  /** The highest seq of this replica's own changes that was acknowledged as durable. */
  acked = 0;

  constructor(
    readonly index: number,
    readonly actor: string,
    private readonly spaceName: string,
    private readonly collections: SimCollections,
    private readonly now: () => number,
  ) {}

  get up(): boolean {
    return this.process !== undefined;
  }

  /** The running process (throws if the replica is down). */
  get p(): SimProcess {
    if (!this.process) throw new Error(`Weft simulator: replica ${this.actor} is down`);
    return this.process;
  }

  async open(): Promise<SimProcess> {
    const mount = this.disk.mount();
    const db = await openDatabase({ storage: mount, actor: this.actor, now: this.now });
    const space = await db.space(this.spaceName);
    const collections = new Map<string, Collection<PlainObject>>();
    for (const [name, options] of Object.entries(this.collections)) {
      collections.set(name, space.collection<PlainObject>(name, options));
    }
    const process: SimProcess = { mount, db, space, collections, lastStamp: undefined };
    space.onChange(() => {
      // Read without sealing the open run: typing goes on in one run, as continuations.
      const tx = space.transaction;
      process.lastStamp = tx ? { wall: tx.wall, logical: tx.logical } : space.lastOwnStamp();
    });
    this.process = process;
    return process;
  }

  /** The process dies: nothing more reaches its disk; its sessions are gone with it. */
  crash(): void {
    this.process?.mount.kill();
    this.process = undefined;
    this.sessions.clear();
  }

  /** A clean shutdown: every write made durable, a snapshot left behind. */
  async shutdown(): Promise<void> {
    const p = this.p;
    for (const session of this.sessions.values()) session.close('sim: shutting down');
    this.sessions.clear();
    this.process = undefined;
    await p.db.close();
  }

  /**
   * Starts a sync session over one end of a connection. `requestSnapshot`: whether this side,
   * when empty, asks for a snapshot instead of all history (only from a peer that keeps full
   * history: a replica started from a snapshot cannot serve the history before it).
   */
  startSession(
    connection: Connection,
    side: 0 | 1,
    requestSnapshot: boolean,
    onClose: (reason: string) => void,
  ): void {
    const end = connection.ends[side];
    const session = new SyncSession(this.p.space, end, this.actor, {
      requestSnapshot,
      onClose: (reason) => {
        this.sessions.delete(connection);
        onClose(reason);
      },
    });
    this.sessions.set(connection, session);
    session.start();
  }

  /**
   * The stamp of this replica's own change `seq`, read from its log (a text or list splice
   * outside a transaction is written in place, with no transaction to read it from).
   */
  ownStamp(seq: number): { wall: number; logical: number } | undefined {
    const before = new Map(this.p.space.versionVector());
    before.set(this.actor, seq - 1);
    for (const run of this.p.space.changesSince(before)) {
      const change = run.actor === this.actor ? run.changes[seq - run.seq] : undefined;
      if (change) return { wall: change.wall, logical: change.logical };
    }
    return undefined;
  }

  collection(name: string): Collection<PlainObject> {
    const c = this.p.collections.get(name);
    if (!c) throw new Error(`Weft simulator: unknown collection "${name}"`);
    return c;
  }

  /**
   * Performs an operation through the public API. Returns the promise the API returned
   * (resolving once durable); the change itself, if any, is made before this returns.
   */
  perform(op: SimOp): Promise<unknown> {
    if (op.kind === 'cursor') throw new Error('Weft simulator: a cursor is not a write');
    if (op.kind !== 'transact') return this.write(op);
    return this.p.space.transact(() => {
      for (const w of op.writes) this.write(w).catch(() => {}); // the transaction reports
    });
  }

  private write(w: SimWrite): Promise<unknown> {
    const c = this.collection(w.collection);
    switch (w.kind) {
      case 'insert':
        return c.insert(structuredClone(w.doc));
      case 'put':
        return c.put(structuredClone(w.doc));
      case 'insertMany':
        return c.insertMany(structuredClone([...w.docs]));
      case 'patch':
        return c.update(w.id, structuredClone(w.patch));
      case 'edit':
        return c.update(w.id, (draft) => applyEdits(draft, w.edits));
      case 'delete':
        return c.delete(w.id);
      case 'spliceText':
        return c.spliceText(w.id, w.path, w.index, w.deleteCount, w.text);
      case 'spliceList':
        return c.spliceList(w.id, w.path, w.index, w.deleteCount, structuredClone([...w.values]));
    }
  }
}
