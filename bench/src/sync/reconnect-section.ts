// 1. Reconnect after divergence: bytes and round trips against the encoded changes, and a
// handshake that does not grow with the documents (the harness is reconnect.ts).
import { fullGc } from '../lib/gc.js';
import { formatBytes, formatMet, formatMs, formatStats, renderGrid } from '../lib/report.js';
import { median, type Stats, summarize } from '../lib/stats.js';
import { count, log } from './common.js';
import { buildReconnectFixture, type ReconnectRun, reconnectOnce } from './reconnect.js';
import type { SyncBenchRun } from './settings.js';

/** The target: bytes at most 2x the encoded changes, plus a handshake that does not
 *  grow with the documents (we allow a few bytes: version-vector counters are varints). */
const HANDSHAKE_GROWTH_ALLOWED = 8;

interface ReconnectRow {
  readonly k: number;
  readonly runs: readonly ReconnectRun[];
  readonly encodedChangesBytes: number;
  readonly payloadBytes: number;
  readonly handshakeBytes: number;
  readonly changesBytes: number;
  readonly ackBytes: number;
  readonly totalBytes: number;
  /** (total - handshake) / encoded changes: the target is at most 2. */
  readonly bytesRatio: number;
  readonly totalRatio: number;
  readonly roundTrips: number;
  readonly messageKinds: string;
  readonly convergeMs: Stats;
  readonly settleMs: Stats;
  readonly met: boolean;
}

export interface ReconnectResult {
  readonly docs: number;
  readonly fixture: { insertMs: number; seedSyncMs: number; seedSyncBytes: number };
  readonly rows: readonly ReconnectRow[];
  readonly handshake: {
    readonly smallDocs: number;
    readonly smallBytes: number;
    readonly docs: number;
    readonly bytes: number;
    readonly grows: boolean;
  };
}

export async function benchReconnect({ config }: SyncBenchRun): Promise<ReconnectResult> {
  const docs = config.reconnectDocs;
  log(`1. reconnect: building two replicas sharing ${count(docs)} docs`);
  const fixture = await buildReconnectFixture(docs);
  log(
    `   A inserted them in ${formatMs(fixture.insertMs)}; B's first sync from A took ${formatMs(fixture.seedSyncMs)} (${formatBytes(fixture.seedSyncBytes)})`,
  );
  await reconnectOnce(fixture, 10, 1); // warm-up, not recorded
  const rows: ReconnectRow[] = [];
  for (const k of config.reconnectKs) {
    log(`   k = ${count(k)} changes offline: ${config.reps} reps`);
    const runs: ReconnectRun[] = [];
    for (let rep = 0; rep < config.reps; rep++) {
      fullGc();
      runs.push(await reconnectOnce(fixture, k, 1000 * k + rep));
    }
    const encoded = median(runs.map((r) => r.encodedChangesBytes));
    const handshake = median(runs.map((r) => r.handshakeBytes));
    const total = median(runs.map((r) => r.totalBytes));
    const bytesRatio = median(
      runs.map((r) => (r.totalBytes - r.handshakeBytes) / r.encodedChangesBytes),
    );
    const roundTrips = Math.max(...runs.map((r) => Math.ceil(r.flightsToConverge / 2)));
    rows.push({
      k,
      runs,
      encodedChangesBytes: encoded,
      payloadBytes: median(runs.map((r) => r.payloadBytes)),
      handshakeBytes: handshake,
      changesBytes: median(runs.map((r) => r.changesBytes)),
      ackBytes: median(runs.map((r) => r.ackBytes)),
      totalBytes: total,
      bytesRatio,
      totalRatio: median(runs.map((r) => r.totalBytes / r.encodedChangesBytes)),
      roundTrips,
      messageKinds: runs.at(-1)!.messageKinds,
      convergeMs: summarize(runs.map((r) => r.convergeMs)),
      settleMs: summarize(runs.map((r) => r.settleMs)),
      met: bytesRatio <= 2 && roundTrips <= 1,
    });
  }
  const small = config.reconnectSmallDocs;
  log(`   handshake check: the same reconnect (k = 100) with ${count(small)} docs`);
  const smallFixture = await buildReconnectFixture(small);
  const smallRun = await reconnectOnce(smallFixture, 100, 7);
  const fullRun = rows.find((r) => r.k === 100) ?? rows[0];
  const fullHandshake = fullRun?.handshakeBytes ?? Number.NaN;
  const grows = !(fullHandshake <= smallRun.handshakeBytes + HANDSHAKE_GROWTH_ALLOWED);
  return {
    docs,
    fixture: {
      insertMs: fixture.insertMs,
      seedSyncMs: fixture.seedSyncMs,
      seedSyncBytes: fixture.seedSyncBytes,
    },
    rows: rows.map((r) => ({ ...r, met: r.met && !grows })),
    handshake: {
      smallDocs: small,
      smallBytes: smallRun.handshakeBytes,
      docs,
      bytes: fullHandshake,
      grows,
    },
  };
}

export function renderReconnect(r: ReconnectResult): string[] {
  const out = [
    `1. Reconnect after divergence: replicas A and B share ${count(r.docs)} docs; B makes k changes offline (one awaited update each), then they sync over an in-memory link that counts every byte.`,
    '',
    renderGrid(
      [
        'k',
        'encoded k changes',
        'handshake',
        'changes msgs',
        'acks',
        'total bytes',
        '(total-hs)/enc',
        'round trips',
        'time to converge [min … max]',
        'target',
        'met',
      ],
      r.rows.map((row) => [
        count(row.k),
        formatBytes(row.encodedChangesBytes),
        `${row.handshakeBytes} B`,
        formatBytes(row.changesBytes),
        `${row.ackBytes} B`,
        formatBytes(row.totalBytes),
        `${row.bytesRatio.toFixed(3)}x`,
        String(row.roundTrips),
        formatStats(row.convergeMs),
        '<= 2x + fixed handshake, 1 RTT',
        formatMet(row.met),
      ]),
    ),
  ];
  for (const row of r.rows)
    out.push(
      `    k = ${count(row.k)}: ${row.messageKinds}; payloads alone ${formatBytes(row.payloadBytes)}; total/encoded ${row.totalRatio.toFixed(3)}x; until the last ack ${formatMs(row.settleMs.median)}`,
    );
  out.push(
    `    handshake (both hellos): ${r.handshake.smallBytes} B with ${count(r.handshake.smallDocs)} docs, ${r.handshake.bytes} B with ${count(r.handshake.docs)} docs: ${r.handshake.grows ? 'GROWS' : 'does not grow'} with the documents`,
    `    round trips: message flights until A held every change, halved (the two hellos cross: flight 1; B's changes: flight 2)`,
    `    fixture: A inserted ${count(r.docs)} docs in ${formatMs(r.fixture.insertMs)} (1,000 per transaction); B's first sync from A: ${formatMs(r.fixture.seedSyncMs)}, ${formatBytes(r.fixture.seedSyncBytes)}`,
  );
  return out;
}
