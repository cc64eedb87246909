import type { SyncClientOptions } from '@weft/client';
import { type Database, openDatabase, randomActorId, type Space, type Value } from '@weft/core';
import type { IndexedDbStorageOptions } from '@weft/indexeddb';
import { controlChannel, hubLock, isControl, tabLock } from './control.js';
import { Hub } from './hub.js';
import { acquireLock, type HeldLock } from './locks.js';
import { type SpaceSync, SpaceSyncState } from './space-sync.js';
import { TabLink } from './tab-link.js';

export interface BrowserDatabaseOptions {
  /** The database's name in this origin (its IndexedDB database is `weft/<name>`). Default 'weft'. */
  readonly name?: string;
  /** The Weft server to sync with, e.g. `ws://localhost:4321`. None: the data stays here. */
  readonly server?: string;
  /** Sent to the server in every hello (for its `authenticate`). */
  readonly credentials?: Value;
  /** The server connection's reconnect backoff and heartbeat (see SyncClientOptions). */
  readonly connection?: Pick<SyncClientOptions, 'minDelayMs' | 'maxDelayMs' | 'heartbeatMs'>;
  /** IndexedDB settings: 'relaxed' durability for faster writes, another IDBFactory. */
  readonly storage?: IndexedDbStorageOptions;
}

/** This browser cannot run a shared database (no Web Locks or BroadcastChannel). */
export class BrowserUnsupportedError extends Error {
  override readonly name = 'BrowserUnsupportedError';
  readonly code = 'unsupported';
}

/**
 * A Weft database in a browser tab, shared by every tab of the profile. One tab, the hub
 * (the holder of a Web Lock), owns the IndexedDB database and the server connection; the
 * others each hold an in-memory replica with an actor of their own, synced with the hub over
 * a BroadcastChannel. Writes are local and instant everywhere; a write's promise resolves once
 * it is durable in IndexedDB. When the hub tab closes, another tab takes the lock and becomes
 * the hub. Open one per tab with `openBrowserDatabase`.
 */
export class BrowserDatabase {
  private readonly spaces = new Map<string, Promise<Space>>();
  private readonly syncs = new Map<string, SpaceSyncState>();
  private readonly links = new Map<string, TabLink>();
  private readonly control: BroadcastChannel;
  private readonly waitForHub = new AbortController();
  private hub: Hub | undefined;
  private hubHeld: HeldLock | undefined;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly options: BrowserDatabaseOptions,
    /** The database the app reads and writes: the hub's, or this tab's replica. */
    private readonly db: Database,
    private readonly tabHeld: HeldLock,
    private readonly lock: string,
    hub: { hub: Hub; held: HeldLock } | undefined,
  ) {
    this.hub = hub?.hub;
    this.hubHeld = hub?.held;
    this.control = new BroadcastChannel(controlChannel(name));
    this.control.onmessage = (event) => {
      const message: unknown = event.data;
      if (!isControl(message)) return;
      if (message.kind === 'status') this.syncs.get(message.space)?.setStatus(message.status);
      // A new hub in another tab: every link reconnects to it.
      if (message.kind === 'hub' && !this.hub)
        for (const link of this.links.values()) link.connect();
    };
    if (!hub) void this.becomeHubWhenFree();
  }

  static async open(options: BrowserDatabaseOptions = {}): Promise<BrowserDatabase> {
    const name = options.name ?? 'weft';
    const g = globalThis as { navigator?: { locks?: unknown }; BroadcastChannel?: unknown };
    if (!g.navigator?.locks || typeof g.BroadcastChannel !== 'function') {
      throw new BrowserUnsupportedError(
        `cannot open the browser database "${name}": this context has no Web Locks or BroadcastChannel. Serve the app from a secure context (https, or http://localhost) in a current browser; for a single tab without sharing, use openIndexedDbDatabase from @weft/indexeddb.`,
      );
    }
    const lock = tabLock(name, randomActorId());
    const tabHeld = (await acquireLock(lock))!;
    const hubHeld = await acquireLock(hubLock(name), { ifAvailable: true });
    try {
      if (hubHeld) {
        const hub = await Hub.start(hubOptions(name, options));
        return new BrowserDatabase(name, options, hub.db, tabHeld, lock, { hub, held: hubHeld });
      }
      // A write resolves once the hub has stored it (no space opens before `tab` is set).
      let tab: BrowserDatabase | undefined;
      const db = await openDatabase({
        actor: randomActorId(),
        confirmWrites: (space, seq) => tab!.confirm(space, seq),
      });
      tab = new BrowserDatabase(name, options, db, tabHeld, lock, undefined);
      return tab;
    } catch (error) {
      hubHeld?.release();
      tabHeld.release();
      throw error;
    }
  }

  /** This tab's replica id: its actor (the profile's stored one in a tab that began as hub). */
  get replicaId(): string {
    return this.db.replicaId;
  }

  /** Whether this tab is the hub now (it owns IndexedDB and the server connection). */
  get isHub(): boolean {
    return this.hub !== undefined;
  }

  /**
   * Opens a space, synced: in a tab other than the hub, it resolves once the tab has what the
   * hub has. Reads are synchronous and local; writes resolve once durable in IndexedDB.
   */
  space(name: string): Promise<Space> {
    let space = this.spaces.get(name);
    if (!space) {
      space = this.openSpace(name);
      this.spaces.set(name, space);
      space.catch(() => this.spaces.delete(name));
    }
    return space;
  }

  /** A space's sync status and presence (usable before the space has opened). */
  sync(space: string): SpaceSync {
    let sync = this.syncs.get(space);
    if (!sync) {
      sync = new SpaceSyncState();
      this.syncs.set(space, sync);
    }
    return sync;
  }

  /** Resolves when this tab's sessions (and the hub's, in the hub tab) are idle. */
  async idle(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.idle()));
    await this.hub?.idle();
  }

  /** Closes this tab's database: if it is the hub, another tab takes over. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waitForHub.abort();
    this.control.close();
    for (const link of this.links.values()) link.close();
    if (this.hub && this.hub.db !== this.db) await this.db.close();
    await this.hub?.close();
    this.hubHeld?.release();
    this.tabHeld.release();
  }

  private confirm(space: string, seq: number): Promise<void> {
    return this.links.get(space)?.confirmations.wait(seq) ?? Promise.resolve();
  }

  private async openSpace(name: string): Promise<Space> {
    if (this.closed) throw new Error(`the browser database "${this.name}" is closed`);
    const sync = this.sync(name) as SpaceSyncState;
    if (this.hub && this.hub.db === this.db) {
      // The tab that opened as hub uses the hub's space itself.
      const hubSpace = await this.hub.space(name);
      const tab = this.db.replicaId;
      hubSpace.join(tab, { send: (client, state) => sync.setOther(client, state) });
      sync.link((state) => hubSpace.update(tab, state));
      sync.setStatus(hubSpace.currentStatus);
      return hubSpace.space;
    }
    const space = await this.db.space(name);
    const link = new TabLink(space, {
      db: this.name,
      tab: this.db.replicaId,
      lock: this.lock,
      sync,
    });
    this.links.set(name, link);
    if (this.hub) link.useHub(this.hub);
    else link.connect();
    await link.ready;
    return space;
  }

  /** Waits for the hub lock; once this tab holds it, it becomes the hub. */
  private async becomeHubWhenFree(): Promise<void> {
    let held: HeldLock | null;
    try {
      held = await acquireLock(hubLock(this.name), { signal: this.waitForHub.signal });
    } catch {
      return; // closed before the lock came
    }
    if (!held) return;
    if (this.closed) return held.release();
    try {
      this.hub = await Hub.start(hubOptions(this.name, this.options));
    } catch (error) {
      held.release(); // let another tab try
      console.error(`weft: this tab could not become the hub of "${this.name}":`, error);
      return;
    }
    this.hubHeld = held;
    for (const link of this.links.values()) link.useHub(this.hub);
  }
}

function hubOptions(name: string, options: BrowserDatabaseOptions) {
  return {
    name,
    ...(options.server === undefined ? {} : { server: options.server }),
    client: {
      ...options.connection,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    },
    ...(options.storage ? { storage: options.storage } : {}),
  };
}

/**
 * Opens the database `name` in this tab, shared with the profile's other tabs and synced with
 * `server` if given: `const db = await openBrowserDatabase({ name: 'board', server })`.
 */
export function openBrowserDatabase(
  options: BrowserDatabaseOptions = {},
): Promise<BrowserDatabase> {
  return BrowserDatabase.open(options);
}
