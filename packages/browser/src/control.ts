import type { SyncStatus } from '@weft/client';

/** How a space's sync looks from a tab: the hub's connection to the server, or 'local'. */
export type BrowserSyncStatus = Exclude<SyncStatus, 'closed'> | 'local';

/**
 * Messages on a database's control channel, which every tab of the profile listens on:
 * a hub announces itself, tabs ask it for a connection (then talk on the connection's own
 * channel), and the hub tells every tab its server status.
 */
export type Control =
  | { readonly kind: 'hub' }
  | {
      readonly kind: 'connect';
      /** The connection's channel name suffix (random, unique). */
      readonly conn: string;
      /** The tab's replica id: its actor, and its presence id. */
      readonly tab: string;
      /** The Web Lock the tab holds while it lives (the hub ends the session when it is free). */
      readonly lock: string;
      readonly space: string;
    }
  | { readonly kind: 'status'; readonly space: string; readonly status: BrowserSyncStatus };

export const controlChannel = (db: string): string => `weft/${db}`;
export const connectionChannel = (db: string, conn: string): string => `weft/${db}/conn/${conn}`;
/** Held by the tab that is the hub of database `db`. */
export const hubLock = (db: string): string => `weft/${db}/hub`;
/** Held by one tab while it is open. */
export const tabLock = (db: string, instance: string): string => `weft/${db}/tab/${instance}`;

const STATUSES = new Set<string>(['connecting', 'online', 'offline', 'local']);

/** Whether `data` (from another tab of this origin) is a well-formed control message. */
export function isControl(data: unknown): data is Control {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  const str = (k: string) => typeof m[k] === 'string' && (m[k] as string).length > 0;
  switch (m.kind) {
    case 'hub':
      return true;
    case 'connect':
      return str('conn') && str('tab') && str('lock') && str('space');
    case 'status':
      return str('space') && STATUSES.has(m.status as string);
    default:
      return false;
  }
}
