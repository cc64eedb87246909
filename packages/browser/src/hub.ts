import type { SyncClientOptions } from '@weft/client';
import type { Database, Transport } from '@weft/core';
import { type IndexedDbDatabaseOptions, openIndexedDbDatabase } from '@weft/indexeddb';
import { ChannelTransport } from './channel-transport.js';
import { type Control, connectionChannel, controlChannel, isControl } from './control.js';
import { HubSpace } from './hub-space.js';
import { whenFree } from './locks.js';

export interface HubOptions {
  /** The database's name (its IndexedDB database and its channels and locks). */
  readonly name: string;
  readonly server?: string;
  readonly client?: Omit<SyncClientOptions, 'url' | 'replica'>;
  readonly storage?: Omit<IndexedDbDatabaseOptions, 'name'>;
}

/**
 * The hub: the one tab of a profile (the holder of the hub Web Lock) that owns the IndexedDB
 * database and the server connections. Every other tab holds a replica of its own and syncs
 * it with the hub over a BroadcastChannel of its own, with the ordinary sync protocol.
 */
export class Hub {
  private readonly spaces = new Map<string, Promise<HubSpace>>();
  private readonly control: BroadcastChannel;
  private readonly ended = new Set<() => void>();
  private closed = false;

  private constructor(
    /** The database on IndexedDB, under the profile's stable replica id. */
    readonly db: Database,
    private readonly options: HubOptions,
  ) {
    this.control = new BroadcastChannel(controlChannel(options.name));
    this.control.onmessage = (event) => {
      if (isControl(event.data) && event.data.kind === 'connect') void this.accept(event.data);
    };
    // Tabs linked to a previous hub reconnect to this one.
    this.post({ kind: 'hub' });
  }

  /** Opens the IndexedDB database and starts serving the profile's tabs. */
  static async start(options: HubOptions): Promise<Hub> {
    const db = await openIndexedDbDatabase({ ...options.storage, name: options.name });
    return new Hub(db, options);
  }

  /** The space `name` in the hub, opened (and connected to the server) on first use. */
  space(name: string): Promise<HubSpace> {
    let space = this.spaces.get(name);
    if (!space) {
      space = this.db.space(name).then(
        (s) =>
          new HubSpace(s, {
            replica: this.db.replicaId,
            ...(this.options.server === undefined ? {} : { server: this.options.server }),
            ...(this.options.client ? { client: this.options.client } : {}),
            onStatus: (status) => this.post({ kind: 'status', space: name, status }),
          }),
      );
      this.spaces.set(name, space);
      space.catch(() => this.spaces.delete(name));
    }
    return space;
  }

  /** Serves a tab of this page (after a handover the new hub's own replica is one). */
  async serveLocal(space: string, tab: string, transport: Transport): Promise<void> {
    const hubSpace = await this.space(space);
    if (this.closed) return transport.close('the hub is closing');
    this.ended.add(hubSpace.serve(tab, transport));
  }

  /** Waits until every space's server connection and tab sessions are idle. */
  async idle(): Promise<void> {
    await Promise.all([...this.spaces.values()].map(async (s) => (await s).idle()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.control.close();
    for (const end of this.ended) end();
    const open = await Promise.allSettled(this.spaces.values());
    for (const s of open) if (s.status === 'fulfilled') s.value.close();
    await this.db.close();
  }

  private async accept(connect: Extract<Control, { kind: 'connect' }>): Promise<void> {
    if (this.closed) return;
    const transport = new ChannelTransport(connectionChannel(this.options.name, connect.conn));
    let hubSpace: HubSpace;
    try {
      hubSpace = await this.space(connect.space);
    } catch (error) {
      transport.close(`the hub cannot open space "${connect.space}": ${(error as Error).message}`);
      return;
    }
    if (this.closed) return transport.close('the hub is closing');
    const end = hubSpace.serve(connect.tab, transport);
    // The browser frees a tab's lock when the tab goes away: end its session (and presence).
    const stopWatching = whenFree(connect.lock, end);
    const ended = () => {
      stopWatching();
      end();
    };
    this.ended.add(ended);
    transport.onClose(() => {
      this.ended.delete(ended);
      stopWatching();
    });
    this.post({ kind: 'status', space: connect.space, status: hubSpace.currentStatus });
  }

  private post(message: Control): void {
    if (!this.closed) this.control.postMessage(message);
  }
}
