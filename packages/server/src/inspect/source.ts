import type { Database, Value } from '@weft/core';
import type { Connection } from '../connections.js';
import type { PresenceEntry } from '../presence-hub.js';

/** What the inspector reads: a running server's database and clients, or a data directory. */
export interface InspectSource {
  readonly mode: 'server' | 'local';
  readonly dataDir: string;
  readonly startedAt: number;
  /** Runs `fn` with the database (a local source may reopen it first: see local-source.ts). */
  use<R>(fn: (db: Database) => Promise<R>): Promise<R>;
  /** Open sync connections (none for a data directory). */
  connections(): readonly Connection[];
  /** Presence states in a space (none for a data directory). */
  presence(space: string): readonly PresenceEntry[];
  /**
   * What a request with these credentials may see: undefined refuses it, else a check of
   * whether it may read a space (the server's `authenticate` and `authorize` hooks).
   */
  reader(credentials: Value): Promise<SpaceCheck | undefined>;
}

export type SpaceCheck = (space: string) => Promise<boolean>;
