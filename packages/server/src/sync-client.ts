import { SyncClient, type SyncClientOptions, type WebSocketConstructor } from '@weft/client';
import type { Space } from '@weft/core';
import { WebSocket } from 'ws';

export { SyncClient, type SyncClientOptions, type SyncStatus } from '@weft/client';

/**
 * Starts syncing `space` with the server at `options.url` (see SyncClient in @weft/client),
 * over the `ws` package's WebSocket unless `options.WebSocket` says otherwise: Node 20 has no
 * WebSocket of its own.
 */
export function syncSpace(space: Space, options: SyncClientOptions): SyncClient {
  return new SyncClient(space, {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    ...options,
  });
}
