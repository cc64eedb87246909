import { spaceSummary } from '@weft/core';
import { databaseFileBytes } from '@weft/sqlite';
import { vectorJson } from './lag.js';
import { type ApiRequest, intParam, openSpace, readableSpaces } from './request.js';

/** The replica, its file, and counts: the inspector's header. */
export async function statusJson(r: ApiRequest) {
  const spaces = await readableSpaces(r);
  const readable = new Set(spaces);
  return {
    mode: r.source.mode,
    replicaId: r.db.replicaId,
    dataDir: r.source.dataDir,
    fileBytes: databaseFileBytes(r.source.dataDir),
    startedAt: r.source.startedAt,
    now: Date.now(),
    spaces: spaces.length,
    clients: r.source.connections().filter((c) => readable.has(c.space)).length,
  };
}

/** Every space the request may read, with its connected clients and presence counts. */
export async function spacesJson(r: ApiRequest) {
  const names = await readableSpaces(r);
  const connections = r.source.connections();
  return {
    spaces: names.map((name) => ({
      name,
      clients: connections.filter((c) => c.space === name).length,
      presence: r.source.presence(name).length,
    })),
  };
}

/** A space at a glance: what `weft status` prints for it. */
export async function spaceJson(r: ApiRequest, name: string) {
  const space = await openSpace(r, name);
  return {
    ...(await spaceSummary(space)),
    clients: r.source.connections().filter((c) => c.space === name).length,
  };
}

/** The change DAG: heads, the version vector, and the newest runs with their deps. */
export async function dagJson(r: ApiRequest, name: string) {
  const space = await openSpace(r, name);
  const limit = intParam(r, 'runs', { min: 1, max: 1000, fallback: 50 });
  const { changes, runs, pending } = space.stats();
  const recent = space.recentRuns(limit);
  return {
    space: name,
    heads: space.heads(),
    vector: vectorJson(space.versionVector()),
    changes,
    runs,
    pending,
    // Newest first: what a person looks for.
    recentRuns: recent.reverse().map((run) => ({
      hash: run.hash,
      actor: run.actor,
      seq: run.seq,
      count: run.count,
      deps: run.deps,
      wall: run.lastWall,
      logical: run.lastLogical,
    })),
  };
}
