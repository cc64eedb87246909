import { SyncClient, type SyncClientOptions } from '@weft/client';
import { type Space, SyncSession, type Transport, type Value } from '@weft/core';
import type { BrowserSyncStatus } from './control.js';

/** Someone in this profile presence goes to: a tab's session, or the hub tab's own app. */
export interface PresencePeer {
  send(client: string, state: Value): void;
}

export interface HubSpaceOptions {
  /** The server's URL; none: the space stays in this browser ('local'). */
  readonly server?: string;
  /** The hub's replica id: its identity to the server. */
  readonly replica: string;
  /** Passed to the server's SyncClient (credentials, WebSocket, backoff, heartbeat). */
  readonly client?: Omit<SyncClientOptions, 'url' | 'replica'>;
  /** Told whenever the server status changes. */
  readonly onStatus: (status: BrowserSyncStatus) => void;
}

/**
 * One space in the hub tab: the space on IndexedDB, its connection to the server, a sync
 * session per tab, and presence between them. To the server the whole profile is one client
 * (the hub's replica), whose presence is the one its tabs set most recently; between tabs,
 * each tab is a client of its own.
 */
export class HubSpace {
  private client: SyncClient | undefined;
  private status: BrowserSyncStatus;
  private readonly sessions = new Set<SyncSession>();
  private readonly peers = new Map<string, PresencePeer>();
  /** This profile's tabs' presence, with when each was set (to pick the latest). */
  private readonly local = new Map<string, { state: Value; at: number }>();
  private readonly remote = new Map<string, Value>();
  private clock = 0;

  constructor(
    readonly space: Space,
    private readonly options: HubSpaceOptions,
  ) {
    this.status = options.server === undefined ? 'local' : 'connecting';
    if (options.server === undefined) return;
    this.client = new SyncClient(space, {
      ...options.client,
      url: options.server,
      replica: options.replica,
      // Tabs catch up from the hub: it keeps the whole history, as a server does.
      requestSnapshot: false,
      onStatus: (status, detail) => {
        if (status !== 'closed') this.setStatus(status);
        options.client?.onStatus?.(status, detail);
      },
      onPresence: (client, state) => this.fromServer(client, state),
    });
  }

  get currentStatus(): BrowserSyncStatus {
    return this.status;
  }

  /**
   * Serves a tab over `transport`: the ordinary sync protocol (hello, catch-up, live changes,
   * acks once stored here, presence). Returns a function that ends the session.
   */
  serve(tab: string, transport: Transport): () => void {
    let ended = false;
    const session: SyncSession = new SyncSession(this.space, transport, this.options.replica, {
      // The hub has the whole history (or gets it from the server): no snapshot from a tab.
      requestSnapshot: false,
      // A tab that missed a change says so in its next hello.
      requestAcks: false,
      onPresence: (_claimed, state) => this.update(tab, state),
      onClose: () => {
        ended = true;
        this.sessions.delete(session);
        if (this.peers.get(tab) === peer) this.leave(tab);
      },
    });
    const peer: PresencePeer = { send: (client, state) => session.sendPresence(client, state) };
    this.sessions.add(session);
    session.start(); // the hello goes first: presence follows it
    // A tab that gave up on this connection before it was served (its transport closed) must
    // not take the place of the connection it has now.
    if (!ended) this.join(tab, peer);
    return () => session.close('the tab is gone');
  }

  /** A tab of this profile joins presence: it hears everyone else. */
  join(tab: string, peer: PresencePeer): void {
    this.peers.set(tab, peer);
    for (const [client, state] of this.remote) peer.send(client, state);
    for (const [other, entry] of this.local) if (other !== tab) peer.send(other, entry.state);
  }

  /** A tab of this profile set its presence (null: cleared). */
  update(tab: string, state: Value): void {
    if (state === null) this.local.delete(tab);
    else this.local.set(tab, { state, at: ++this.clock });
    for (const [other, peer] of this.peers) if (other !== tab) peer.send(tab, state);
    this.client?.setPresence(this.latestLocal());
  }

  /** A tab left: its presence goes. */
  leave(tab: string): void {
    this.peers.delete(tab);
    if (this.local.has(tab)) this.update(tab, null);
  }

  /** Resolves when the server connection and every tab session are idle. */
  async idle(): Promise<void> {
    await this.client?.idle();
    await Promise.all([...this.sessions].map((s) => s.idle()));
  }

  close(): void {
    this.client?.close();
    for (const session of [...this.sessions]) session.close('the hub is closing');
  }

  private fromServer(client: string, state: Value): void {
    if (state === null) this.remote.delete(client);
    else this.remote.set(client, state);
    for (const peer of this.peers.values()) peer.send(client, state);
  }

  private latestLocal(): Value {
    let latest: { state: Value; at: number } | undefined;
    for (const entry of this.local.values()) if (!latest || entry.at > latest.at) latest = entry;
    return latest?.state ?? null;
  }

  private setStatus(status: BrowserSyncStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
