import type { SyncSession } from '@weft/core';
import type { WebSocketTransport } from './ws-transport.js';

/** A client connected to the server: one WebSocket syncing one space. */
export interface Connection {
  /** Numbers connections in the order they were accepted (a reconnect gets a new one). */
  readonly id: number;
  readonly space: string;
  /** The replica id the client's hello named. */
  readonly client: string;
  /** The remote IP address, when the socket knows it. */
  readonly address: string | undefined;
  readonly connectedAt: number;
  /** Whether it may write the space (else its changes are refused). */
  readonly canWrite: boolean;
  readonly session: SyncSession;
  readonly transport: WebSocketTransport;
}

/** The server's open sync connections, for the inspector. */
export class Connections {
  private next = 1;
  private readonly open = new Map<number, Connection>();

  /** Adds a connection; call the function returned when it closes. */
  add(connection: Omit<Connection, 'id' | 'connectedAt'>): () => void {
    const id = this.next++;
    this.open.set(id, { id, connectedAt: Date.now(), ...connection });
    return () => {
      this.open.delete(id);
    };
  }

  list(): Connection[] {
    return [...this.open.values()];
  }
}
