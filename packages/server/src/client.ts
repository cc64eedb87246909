import type { Transport } from '@weft/core';
import { WebSocket } from 'ws';
import { WebSocketTransport } from './ws-transport.js';

export interface ConnectOptions {
  /** The largest message accepted from the server, in bytes. Default: ws's (100 MiB). */
  readonly maxMessageBytes?: number;
}

/**
 * Opens a WebSocket to a Weft server (Node, with `ws`) and resolves with a transport once it
 * is open; rejects if the connection fails. Run a `SyncSession` over it. No reconnection.
 */
export function connectWebSocket(url: string, options: ConnectOptions = {}): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      url,
      options.maxMessageBytes === undefined ? {} : { maxPayload: options.maxMessageBytes },
    );
    const transport = new WebSocketTransport(socket);
    const failed = (reason: string) => reject(new Error(`cannot connect to ${url}: ${reason}`));
    transport.onClose(failed);
    socket.once('open', () => resolve(transport));
  });
}
