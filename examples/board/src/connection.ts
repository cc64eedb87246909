import { type SyncClient, type SyncStatus, syncSpace } from '@weft/client';
import { openDatabase, type Space } from '@weft/core';
import { SPACE } from './model.js';

/** The board's replica and its link to the server. */
export interface Connection {
  readonly space: Space;
  readonly sync: SyncClient;
  readonly replica: string;
  status(): SyncStatus;
  onStatus(listener: (status: SyncStatus) => void): () => void;
}

/** The server this page was served by (weft serve), or WEFT_SERVER in development. */
export function serverUrl(): string {
  const configured = import.meta.env?.VITE_WEFT_SERVER as string | undefined;
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/`;
}

export async function connect(): Promise<Connection> {
  const db = await openDatabase();
  const space = await db.space(SPACE);
  const listeners = new Set<(status: SyncStatus) => void>();
  const sync = syncSpace(space, {
    url: serverUrl(),
    replica: db.replicaId,
    minDelayMs: 250,
    maxDelayMs: 5_000,
    onStatus: (status) => {
      for (const listener of listeners) listener(status);
    },
  });
  return {
    space,
    sync,
    replica: db.replicaId,
    status: () => sync.current,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
