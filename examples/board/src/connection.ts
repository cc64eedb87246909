import { type BrowserSyncStatus, openBrowserDatabase, type SpaceSync } from '@weft/browser';
import type { Space } from '@weft/core';
import { SPACE } from './model.js';

/** The board's replica (IndexedDB, shared by this browser's tabs) and its link to the server. */
export interface Connection {
  readonly space: Space;
  /** Status and presence; a presence source for <WeftProvider>. */
  readonly sync: SpaceSync;
  readonly replica: string;
}

export type Status = BrowserSyncStatus;

/** The server this page was served by (weft serve), or VITE_WEFT_SERVER in development. */
export function serverUrl(): string {
  const configured = import.meta.env?.VITE_WEFT_SERVER as string | undefined;
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/`;
}

export async function connect(): Promise<Connection> {
  const db = await openBrowserDatabase({
    name: 'weft-board',
    server: serverUrl(),
    connection: { minDelayMs: 250, maxDelayMs: 5_000, heartbeatMs: 10_000 },
  });
  const space = await db.space(SPACE);
  return { space, sync: db.sync(SPACE), replica: db.replicaId };
}
