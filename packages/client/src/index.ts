// @weft/client: keeps a space synced with a Weft server over a standard WebSocket. No
// Node-only API: runs in browsers, workers, Deno, Bun and Node (with `ws` on Node 20).

export { SyncClient, type SyncClientOptions, type SyncStatus, syncSpace } from './sync-client.js';
export {
  StandardWebSocketTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket.js';
