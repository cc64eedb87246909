// @weft/browser: a Weft database in the browser, on IndexedDB, shared by the tabs of a
// profile (one hub tab, elected by a Web Lock; the others sync with it over BroadcastChannel),
// synced with a Weft server. No Node-only API.

export {
  BrowserDatabase,
  type BrowserDatabaseOptions,
  BrowserUnsupportedError,
  openBrowserDatabase,
} from './browser-database.js';
export { ChannelTransport } from './channel-transport.js';
export type { BrowserSyncStatus } from './control.js';
export type { SpaceSync } from './space-sync.js';
