import type { Database, Value } from '@weft/core';
import type { Connections } from '../connections.js';
import type { PresenceHub } from '../presence-hub.js';
import type { InspectSource } from './source.js';

/** What the inspector reads in a running server; its hooks decide who may see what. */
export function serverSource<Identity>(server: {
  readonly db: Database;
  readonly dataDir: string;
  readonly connections: Connections;
  readonly presence: PresenceHub;
  readonly authenticate: (
    credentials: Value,
  ) => Identity | undefined | Promise<Identity | undefined>;
  readonly authorize: (
    identity: Identity,
    space: string,
    access: 'read' | 'write',
  ) => boolean | Promise<boolean>;
}): InspectSource {
  return {
    mode: 'server',
    dataDir: server.dataDir,
    startedAt: Date.now(),
    use: (fn) => fn(server.db),
    connections: () => server.connections.list(),
    presence: (space) => server.presence.list(space),
    async reader(credentials) {
      const identity = await server.authenticate(credentials);
      if (identity === undefined) return undefined;
      return async (space) => server.authorize(identity, space, 'read');
    },
  };
}
