import { type Space, SyncSession, type Value, type VersionVector } from '@weft/core';
import { WebSocket } from 'ws';
import { WebSocketTransport } from './ws-transport.js';

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'closed';

export interface SyncClientOptions {
  /** The server, e.g. `ws://127.0.0.1:4321`. */
  readonly url: string;
  /** This replica's id (the database's `replicaId`). */
  readonly replica: string;
  readonly credentials?: Value;
  /** Backoff after a failed or lost connection: from `minDelayMs`, doubling, up to `maxDelayMs`. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A ping every `heartbeatMs`; a link that does not answer within it is dead. Default 15 s. */
  readonly heartbeatMs?: number;
  /** Told when the status changes. */
  readonly onStatus?: (status: SyncStatus, detail?: string) => void;
  /** Told when another client's presence changes (null: it is gone). */
  readonly onPresence?: (client: string, state: Value) => void;
  /** Told of each ack from the server, with its version vector: what it has stored durably. */
  readonly onAck?: (vector: VersionVector) => void;
}

/**
 * Keeps a space synced with a server, across disconnections: it reconnects with exponential
 * backoff and jitter, and notices a dead link by heartbeats. Writes made while offline are in
 * the space (durable locally) and go out on the next connection: the session's hello tells
 * the server what is missing, nothing is queued apart from the space itself.
 */
export class SyncClient {
  private status: SyncStatus = 'connecting';
  private attempt = 0;
  private socket: WebSocket | undefined;
  private session: SyncSession | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private ownPresence: Value = null;
  private readonly others = new Map<string, Value>();

  constructor(
    private readonly space: Space,
    private readonly options: SyncClientOptions,
  ) {
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

  /** Resolves when the current session has handled everything received and pushed. */
  async idle(): Promise<void> {
    await this.session?.idle();
  }

  close(): void {
    this.setStatus('closed');
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.session?.close('client closed');
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.status === 'closed') return;
    this.setStatus('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    const transport = new WebSocketTransport(socket);
    transport.onClose((reason) => this.lost(socket, reason));
    socket.once('open', () => {
      if (this.status === 'closed') return socket.terminate();
      this.attempt = 0;
      const session = new SyncSession(this.space, transport, this.options.replica, {
        ...(this.options.credentials === undefined
          ? {}
          : { credentials: this.options.credentials }),
        onPresence: (client, state) => {
          if (state === null) this.others.delete(client);
          else this.others.set(client, state);
          this.options.onPresence?.(client, state);
        },
        ...(this.options.onAck === undefined ? {} : { onAck: this.options.onAck }),
      });
      this.session = session;
      session.start();
      if (this.ownPresence !== null) session.sendPresence(this.options.replica, this.ownPresence);
      this.watch(socket);
      this.setStatus('online');
    });
  }

  /** Pings the server; a ping unanswered by the next beat means the link is dead. */
  private watch(socket: WebSocket): void {
    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, this.options.heartbeatMs ?? 15_000);
  }

  private lost(socket: WebSocket, reason: string): void {
    if (socket !== this.socket || this.status === 'closed') return;
    clearInterval(this.heartbeat);
    this.session = undefined;
    this.setStatus('offline', reason);
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
