// @weft/server: a Weft sync server over WebSocket (Node), and a WebSocket client transport.

export { type ConnectOptions, connectWebSocket } from './client.js';
export {
  type InspectorOptions,
  startInspector,
  type WeftInspector,
} from './inspect/start-inspector.js';
export { type Access, type ServerOptions, startServer, type WeftServer } from './server.js';
export { SyncClient, type SyncClientOptions, type SyncStatus, syncSpace } from './sync-client.js';
export { WebSocketTransport } from './ws-transport.js';
