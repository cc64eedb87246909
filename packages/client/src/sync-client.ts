import { type Space, SyncSession, type Value, type VersionVector } from '@weft/core';
import { watchNetwork } from './network-events.js';
import {
  StandardWebSocketTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'closed';

export interface SyncClientOptions {
  /** The server, e.g. `ws://127.0.0.1:4321`. */
  readonly url: string;
  /** This replica's id (the database's `replicaId`). */
  readonly replica: string;
  readonly credentials?: Value;
  /**
   * The WebSocket to use. Default: the platform's (`globalThis.WebSocket`: browsers, Deno,
   * Bun, Node 22+). In Node 20, pass `WebSocket` from the `ws` package.
   */
  readonly WebSocket?: WebSocketConstructor;
  /** Backoff after a failed or lost connection: from `minDelayMs`, doubling, up to `maxDelayMs`. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * A heartbeat every `heartbeatMs`: a link on which nothing arrived since the last beat is
   * dead, and so is a connection not open within it. Default 15 s.
   */
  readonly heartbeatMs?: number;
  /** Told when the status changes. */
  readonly onStatus?: (status: SyncStatus, detail?: string) => void;
  /** Told when another client's presence changes (null: it is gone). */
  readonly onPresence?: (client: string, state: Value) => void;
  /** Told of each ack from the server, with its version vector: what it has stored durably. */
  readonly onAck?: (vector: VersionVector) => void;
  /**
   * Whether an empty space starts from a snapshot of the server's (default true) or gets the
   * whole history. A replica that serves others' catch-up (a browser hub tab) needs the history.
   */
  readonly requestSnapshot?: boolean;
}

/**
 * Keeps a space synced with a server, across disconnections: it reconnects with exponential
 * backoff and jitter, and notices a dead link by heartbeats. Writes made while offline are in
 * the space (durable locally) and go out on the next connection: the session's hello tells
 * the server what is missing, nothing is queued apart from the space itself. Runs wherever a
 * standard WebSocket does.
 */
export class SyncClient {
  private status: SyncStatus = 'connecting';
  private attempt = 0;
  private transport: StandardWebSocketTransport | undefined;
  private session: SyncSession | undefined;
  private timer: unknown;
  private heartbeat: unknown;
  private ownPresence: Value = null;
  private readonly others = new Map<string, Value>();
  private readonly presenceListeners = new Set<(client: string, state: Value) => void>();
  private readonly WebSocket: WebSocketConstructor;
  private readonly unwatchNetwork: () => void;

  constructor(
    private readonly space: Space,
    private readonly options: SyncClientOptions,
  ) {
    const platform = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const WebSocket = options.WebSocket ?? platform;
    if (!WebSocket) {
      throw new TypeError(
        'this platform has no WebSocket: pass one, e.g. syncSpace(space, { url, replica, WebSocket }) with WebSocket from the "ws" package',
      );
    }
    this.WebSocket = WebSocket;
    this.unwatchNetwork = watchNetwork(
      () => this.transport?.close('the network went away (the browser is offline)'),
      () => this.reconnectNow(),
    );
    this.connect();
  }

  get current(): SyncStatus {
    return this.status;
  }

  /**
   * Sets this client's presence (a small ephemeral state: name, cursor, typing…), shown at
   * once to the space's other clients and sent again after every reconnect. Never stored.
   */
  setPresence(state: Value): void {
    this.ownPresence = state;
    this.session?.sendPresence(this.options.replica, state);
  }

  /** The other clients' presence, by replica id. */
  presence(): ReadonlyMap<string, Value> {
    return this.others;
  }

  /**
   * Calls `listener` whenever another client's presence changes (state null: it is gone), like
   * the `onPresence` option but for any number of listeners. Returns the unsubscribe function.
   */
  subscribePresence(listener: (client: string, state: Value) => void): () => void {
    this.presenceListeners.add(listener);
    return () => {
      this.presenceListeners.delete(listener);
    };
  }

  /** Resolves when the current session has handled everything received and pushed. */
  async idle(): Promise<void> {
    await this.session?.idle();
  }

  close(): void {
    this.unwatchNetwork();
    this.setStatus('closed');
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.session?.close('client closed');
    this.transport?.close('client closed');
  }

  private connect(): void {
    if (this.status === 'closed') return;
    this.setStatus('connecting');
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocket(this.options.url);
    } catch (error) {
      // A malformed URL throws at once: retrying will not help, but neither must it crash.
      this.setStatus('offline', (error as Error).message);
      this.retry();
      return;
    }
    const transport = new StandardWebSocketTransport(socket);
    this.transport = transport;
    transport.onClose((reason) => this.lost(transport, reason));
    this.watch(transport, () => this.status === 'connecting');
    socket.addEventListener('open', () => {
      if (this.status === 'closed' || transport !== this.transport) {
        transport.close();
        return;
      }
      this.attempt = 0;
      const session = new SyncSession(this.space, transport, this.options.replica, {
        ...(this.options.credentials === undefined
          ? {}
          : { credentials: this.options.credentials }),
        onPresence: (client, state) => {
          if (state === null) this.others.delete(client);
          else this.others.set(client, state);
          this.options.onPresence?.(client, state);
          for (const listener of [...this.presenceListeners]) listener(client, state);
        },
        ...(this.options.onAck === undefined ? {} : { onAck: this.options.onAck }),
        ...(this.options.requestSnapshot === undefined
          ? {}
          : { requestSnapshot: this.options.requestSnapshot }),
      });
      this.session = session;
      session.start();
      if (this.ownPresence !== null) session.sendPresence(this.options.replica, this.ownPresence);
      this.setStatus('online');
    });
  }

  /**
   * Every beat: if nothing arrived since the last one (and the connection is not still
   * opening), the link is dead; otherwise ping, so that a live server sends something back.
   */
  private watch(transport: StandardWebSocketTransport, opening: () => boolean): void {
    let heard = false;
    transport.onFrame = () => {
      heard = true;
    };
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (opening()) return transport.close('the connection did not open in time');
      if (!heard) return transport.close('the server stopped answering heartbeats');
      heard = false;
      this.session?.ping();
    }, this.options.heartbeatMs ?? 15_000);
  }

  private lost(transport: StandardWebSocketTransport, reason: string): void {
    if (transport !== this.transport || this.status === 'closed') return;
    clearInterval(this.heartbeat);
    this.session = undefined;
    this.forgetPresence();
    this.setStatus('offline', reason);
    this.retry();
  }

  /** Offline, the others' presence is unknown: shown as gone until the server says again. */
  private forgetPresence(): void {
    for (const client of [...this.others.keys()]) {
      this.others.delete(client);
      this.options.onPresence?.(client, null);
      for (const listener of [...this.presenceListeners]) listener(client, null);
    }
  }

  /** The network is back: no need to wait out the backoff. */
  private reconnectNow(): void {
    if (this.status !== 'offline') return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  private retry(): void {
    const min = this.options.minDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: SyncStatus, detail?: string): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status, detail);
  }
}

/** Starts syncing `space` with the server at `options.url`; see SyncClient. */
export function syncSpace(space: Space, options: SyncClientOptions): SyncClient {
  return new SyncClient(space, options);
}
