// 2. Initial sync: an empty client syncs a server's space over WebSocket (the harness is
// initial.ts).
import { fullGc } from '../lib/gc.js';
import { formatBytes, formatMs, formatRate, formatStats, renderGrid } from '../lib/report.js';
import { median, type Stats, summarize } from '../lib/stats.js';
import { count, log } from './common.js';
import { type ClientStorage, type InitialSyncRun, InitialSyncServer } from './initial.js';
import type { SyncBenchRun } from './settings.js';

interface InitialRow {
  readonly storage: ClientStorage;
  readonly runs: readonly InitialSyncRun[];
  readonly syncMs: Stats;
  readonly durableMs: Stats;
  readonly bytesReceived: number;
  readonly messagesReceived: number;
  readonly bytesSent: number;
  /** What the server sent, by message kind (last rep). */
  readonly received: string;
}

export interface InitialResult {
  readonly docs: number;
  readonly serverBuildMs: number;
  readonly serverDataBytes: number;
  readonly rows: readonly InitialRow[];
}

export async function benchInitial({
  config,
  root,
  profileArgv,
}: SyncBenchRun): Promise<InitialResult> {
  const docs = config.initialDocs;
  log(`2. initial sync: a server process with ${count(docs)} docs (building it)`);
  const server = await InitialSyncServer.start(root, docs, profileArgv('initial-server'));
  try {
    log(`   built in ${formatMs(server.buildMs)}; warm-up sync (the server loads the space)`);
    await server.syncOnce(root, 'memory');
    const runs = new Map<ClientStorage, InitialSyncRun[]>(
      config.initialStorages.map((s) => [s, []]),
    );
    for (let rep = 0; rep < config.reps; rep++) {
      for (const storage of rep % 2 === 0
        ? config.initialStorages
        : [...config.initialStorages].reverse()) {
        fullGc();
        const run = await server.syncOnce(root, storage);
        runs.get(storage)!.push(run);
        log(
          `   rep ${rep + 1}/${config.reps}, ${storage} client: ${formatMs(run.syncMs)}, ${formatBytes(run.bytesReceived)}`,
        );
      }
    }
    return {
      docs,
      serverBuildMs: server.buildMs,
      serverDataBytes: server.dataBytes,
      rows: [...runs].map(([storage, rs]) => ({
        storage,
        runs: rs,
        syncMs: summarize(rs.map((r) => r.syncMs)),
        durableMs: summarize(rs.map((r) => r.durableMs)),
        bytesReceived: median(rs.map((r) => r.bytesReceived)),
        messagesReceived: median(rs.map((r) => r.messagesReceived)),
        bytesSent: median(rs.map((r) => r.bytesSent)),
        received: rs.at(-1)!.received,
      })),
    };
  } finally {
    await server.stop();
  }
}

export function renderInitial(r: InitialResult): string[] {
  return [
    `2. Initial sync: an empty client syncs ${count(r.docs)} docs (${formatBytes(r.serverDataBytes)} on the server's disk) from a server process (startServer, SQLite) over WebSocket on loopback.`,
    '',
    renderGrid(
      [
        'client storage',
        'time to sync [min … max]',
        'until durable',
        'bytes received',
        'messages',
        'bytes sent',
        'docs/s',
        'MB/s',
      ],
      r.rows.map((row) => [
        row.storage === 'memory' ? 'MemoryStorage' : 'SQLite (@weft/sqlite)',
        formatStats(row.syncMs),
        formatMs(row.durableMs.median),
        formatBytes(row.bytesReceived),
        String(row.messagesReceived),
        `${row.bytesSent} B`,
        formatRate(r.docs / (row.syncMs.median / 1000)),
        (row.bytesReceived / 1e6 / (row.syncMs.median / 1000)).toFixed(1),
      ]),
    ),
    "    time to sync: from opening the WebSocket until the client's version vector equals the server's (every doc applied); no target in the issue",
    ...r.rows.map(
      (row) => `    the server sent the ${row.storage} client: ${row.received || 'nothing'}`,
    ),
  ];
}
