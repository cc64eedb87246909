// The sync benchmarks (issue 4, section 7). `npm run bench:sync -- [options]` or
// `node bench/dist/sync/run.js [options]`:
//   --json            one JSON document on stdout instead of the tables
//   --quick           smaller sizes and fewer repetitions (a smoke test, under a minute)
//   --reps N          repetitions of every benchmark (default 5; quick 3)
//   --only a,b        groups to run: reconnect, initial, fanout, receive
//   --clients a,b     fan-out receiver counts (default 100,1000; quick 20,100)
//   --dir D           where temporary databases go (default: the OS temp dir)
//   --server-dir D    where the fan-out Weft server keeps its data (default: --dir); a tmpfs
//                     such as /dev/shm takes the disk's fsync out of the picture
//   --systems a,b     fan-out systems to run: weft, yjs (default both; one alone has no ratios)
//   --cpu-prof D      write CPU profiles of the server and client processes of the fan-out
//                     and initial-sync runs into D (node --cpu-prof)
// Progress goes to stderr; the results to stdout.

import { cpus, loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { removeDir, tempDir } from '../lib/fs.js';
import { fullGc } from '../lib/gc.js';
import { formatBytes, formatMs, formatRate, renderGrid } from '../lib/report.js';
import { median, now, type Stats, summarize } from '../lib/stats.js';
import { count, log } from './common.js';
import { FanoutRunner, type FanoutSummary, type System, summarizeFanout } from './fanout.js';
import { type ClientStorage, type InitialSyncRun, InitialSyncServer } from './initial.js';
import { benchReceive, renderReceive } from './receive.js';
import { buildReconnectFixture, type ReconnectRun, reconnectOnce } from './reconnect.js';

interface Config {
  /** Documents the two replicas share, and the changes one makes offline. */
  readonly reconnectDocs: number;
  readonly reconnectKs: readonly number[];
  /** A smaller space, to check that the handshake does not grow with the documents. */
  readonly reconnectSmallDocs: number;
  /** Documents on the server for the initial sync, and the client storages tried. */
  readonly initialDocs: number;
  readonly initialStorages: readonly ClientStorage[];
  /** Fan-out: receivers per run, documents (or keys) the writer cycles through, payload size. */
  readonly receivers: readonly number[];
  readonly pool: number;
  readonly payloadBytes: number;
  /** Deliveries (writes × receivers) per second offered in the paced latency runs. */
  readonly pacedDeliveriesPerSecond: number;
  /** Paced writes per latency repetition: at up to 100 receivers, and above. */
  readonly latencyWritesSmall: number;
  readonly latencyWritesLarge: number;
  /** Deliveries (writes × receivers) per throughput repetition. */
  readonly throughputDeliveries: number;
  readonly warmupWrites: number;
  /** Receiving a change (section 4): writes per repetition and pace. */
  readonly receiveWrites: number;
  readonly reps: number;
}

const FULL: Config = {
  reconnectDocs: 100_000,
  reconnectKs: [10, 100, 1000],
  reconnectSmallDocs: 10_000,
  initialDocs: 100_000,
  initialStorages: ['memory', 'sqlite'],
  receivers: [100, 1000],
  pool: 100,
  payloadBytes: 100,
  pacedDeliveriesPerSecond: 4000,
  latencyWritesSmall: 200,
  latencyWritesLarge: 100,
  throughputDeliveries: 60_000,
  warmupWrites: 20,
  receiveWrites: 100,
  reps: 5,
};

const QUICK: Config = {
  reconnectDocs: 10_000,
  reconnectKs: [10, 100, 1000],
  reconnectSmallDocs: 1_000,
  initialDocs: 10_000,
  initialStorages: ['memory', 'sqlite'],
  receivers: [20, 100],
  pool: 100,
  payloadBytes: 100,
  pacedDeliveriesPerSecond: 4000,
  latencyWritesSmall: 50,
  latencyWritesLarge: 50,
  throughputDeliveries: 10_000,
  warmupWrites: 10,
  receiveWrites: 30,
  reps: 3,
};

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string' },
    clients: { type: 'string' },
    dir: { type: 'string' },
    'server-dir': { type: 'string' },
    'cpu-prof': { type: 'string' },
    systems: { type: 'string' },
  },
});

function positiveInts(text: string, option: string): number[] {
  const values = text.split(',').map(Number);
  if (values.some((n) => !(Number.isInteger(n) && n > 0)))
    throw new Error(`${option} takes positive integers, comma-separated`);
  return values;
}

const base = args.quick ? QUICK : FULL;
const config: Config = {
  ...base,
  ...(args.reps === undefined ? {} : { reps: positiveInts(args.reps, '--reps')[0]! }),
  ...(args.clients === undefined ? {} : { receivers: positiveInts(args.clients, '--clients') }),
};
const root = args.dir ?? tmpdir();
const serverRoot = args['server-dir'] ?? root;
const profileDir = args['cpu-prof'] === undefined ? undefined : resolve(args['cpu-prof']);
const profileArgv = (label: string) =>
  profileDir === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`];
const GROUPS = ['reconnect', 'initial', 'fanout', 'receive'];
const SYSTEMS: readonly System[] = ['weft', 'yjs'];
const systems = (args.systems?.split(',') ?? SYSTEMS) as System[];
for (const system of systems)
  if (!SYSTEMS.includes(system))
    throw new Error(`--systems takes systems among ${SYSTEMS.join(', ')}; not "${system}"`);
const only = args.only === undefined ? undefined : new Set(args.only.split(','));
for (const group of only ?? [])
  if (!GROUPS.includes(group))
    throw new Error(`--only takes groups among ${GROUPS.join(', ')}; not "${group}"`);
const enabled = (group: string) => only === undefined || only.has(group);

// ---- 1. reconnect after divergence ---------------------------------------------------------

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

interface ReconnectResult {
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

async function benchReconnect(): Promise<ReconnectResult> {
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

// ---- 2. initial sync -----------------------------------------------------------------------

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

interface InitialResult {
  readonly docs: number;
  readonly serverBuildMs: number;
  readonly serverDataBytes: number;
  readonly rows: readonly InitialRow[];
}

async function benchInitial(): Promise<InitialResult> {
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

// ---- 3. fan-out ----------------------------------------------------------------------------

interface FanoutComparison {
  readonly receivers: number;
  /** Weft p99 / y-websocket p99: lower is better; the target is at most 1. */
  readonly p99Ratio: number;
  readonly p50Ratio: number;
  /** Weft relayed/s ÷ y-websocket's: higher is better; the target is at least 1. */
  readonly throughputRatio: number;
  /** y-websocket's server CPU per relayed change ÷ Weft's: how many times cheaper y-websocket
   *  relays (> 1 means Weft's server spends more CPU per relayed change). */
  readonly serverCpuRatio: number;
  readonly p99Met: boolean;
  readonly throughputMet: boolean;
}

interface FanoutResult {
  readonly settings: {
    readonly pool: number;
    readonly payloadBytes: number;
    readonly pacedDeliveriesPerSecond: number;
    readonly throughputDeliveries: number;
    readonly warmupWrites: number;
  };
  /** Per receiver count: the pacing and sizes used. */
  readonly plans: readonly ({ readonly receivers: number } & ReturnType<typeof fanoutPlan>)[];
  readonly summaries: readonly FanoutSummary[];
  readonly comparison: readonly FanoutComparison[];
}

function fanoutPlan(receivers: number) {
  const intervalMs = Math.max(1, Math.round((1000 * receivers) / config.pacedDeliveriesPerSecond));
  return {
    intervalMs,
    latencyWrites: receivers <= 100 ? config.latencyWritesSmall : config.latencyWritesLarge,
    throughputWrites: Math.max(20, Math.round(config.throughputDeliveries / receivers)),
  };
}

async function benchFanout(): Promise<FanoutResult> {
  const summaries: FanoutSummary[] = [];
  const comparison: FanoutComparison[] = [];
  for (const [i, receivers] of config.receivers.entries()) {
    const plan = fanoutPlan(receivers);
    const order = (i % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse()).filter((s) =>
      systems.includes(s),
    );
    const bySystem = new Map<System, FanoutSummary>();
    const dataDirs: string[] = [];
    const runners: FanoutRunner[] = [];
    try {
      // Both systems are set up first, then take turns a repetition at a time (the order
      // swapping every repetition): a machine whose speed drifts slows both alike.
      for (const system of order) {
        log(
          `3. fan-out: ${system === 'weft' ? 'Weft' : 'y-websocket'}, 1 writer -> ${count(receivers)} receivers; ` +
            `${config.reps} reps of ${config.warmupWrites} warm-up and ${plan.latencyWrites} measured writes paced every ${plan.intervalMs} ms, then ${plan.throughputWrites} as fast as possible`,
        );
        const dataDir = tempDir(serverRoot, 'sync-fanout-server');
        dataDirs.push(dataDir);
        runners.push(
          await FanoutRunner.start({
            system,
            receivers,
            pool: config.pool,
            payloadBytes: config.payloadBytes,
            latencyWrites: plan.latencyWrites,
            intervalMs: plan.intervalMs,
            throughputWrites: plan.throughputWrites,
            warmupWrites: config.warmupWrites,
            reps: config.reps,
            connectConcurrency: 50,
            dataDir,
            serverExecArgv: profileArgv(`fanout-${system}-${receivers}-server`),
            clientsExecArgv: profileArgv(`fanout-${system}-${receivers}-clients`),
          }),
        );
      }
      for (let rep = 0; rep < config.reps; rep++) {
        for (const runner of rep % 2 === 0 ? runners : [...runners].reverse())
          await runner.rep(rep);
      }
      while (runners.length > 0) {
        const summary = summarizeFanout(await runners[0]!.finish());
        runners.shift();
        for (const error of summary.errors.slice(0, 5)) log(`   error: ${error}`);
        bySystem.set(summary.system as System, summary);
        summaries.push(summary);
      }
    } finally {
      for (const runner of runners) await runner.abort();
      for (const dir of dataDirs) removeDir(dir);
    }
    const w = bySystem.get('weft');
    const y = bySystem.get('yjs');
    if (!w || !y) continue; // one system only (--systems): nothing to compare
    comparison.push({
      receivers,
      p99Ratio: w.p99Ms.median / y.p99Ms.median,
      p50Ratio: w.p50Ms.median / y.p50Ms.median,
      throughputRatio: w.relayedPerSecond.median / y.relayedPerSecond.median,
      serverCpuRatio: w.serverCpuUsPerRelayed.median / y.serverCpuUsPerRelayed.median,
      p99Met: w.p99Ms.median <= y.p99Ms.median,
      throughputMet: w.relayedPerSecond.median >= y.relayedPerSecond.median,
    });
  }
  return {
    settings: {
      pool: config.pool,
      payloadBytes: config.payloadBytes,
      pacedDeliveriesPerSecond: config.pacedDeliveriesPerSecond,
      throughputDeliveries: config.throughputDeliveries,
      warmupWrites: config.warmupWrites,
    },
    plans: config.receivers.map((receivers) => ({ receivers, ...fanoutPlan(receivers) })),
    summaries,
    comparison,
  };
}

// ---- 4. receiving a change -----------------------------------------------------------------

function benchReceiveGroup() {
  log('4. receiving a change: Weft and Yjs, 100 receivers in this process');
  fullGc();
  return benchReceive(
    {
      receivers: 100,
      pool: config.pool,
      payloadBytes: config.payloadBytes,
      writes: config.receiveWrites,
      warmupWrites: config.warmupWrites,
      pauseMs: 25,
      reps: config.reps,
    },
    log,
  );
}

// ---- output --------------------------------------------------------------------------------

const range = (s: Stats) => `${formatMs(s.median)} [${formatMs(s.min)} … ${formatMs(s.max)}]`;
const yesNo = (met: boolean) => (met ? 'yes' : 'NO');
const systemName = (system: string) => (system === 'weft' ? 'Weft' : 'y-websocket');

function renderReconnect(r: ReconnectResult): string[] {
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
        range(row.convergeMs),
        '<= 2x + fixed handshake, 1 RTT',
        yesNo(row.met),
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

function renderInitial(r: InitialResult): string[] {
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
        range(row.syncMs),
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

function renderFanout(r: FanoutResult): string[] {
  const out = [
    `3. Fan-out: 1 writer and N receivers on one space/doc, the server in its own process; every client in one other process (one clock). Each write updates one of ${r.settings.pool} docs (Weft) / map keys (Yjs) to a ${r.settings.payloadBytes}-byte string.`,
    '',
    renderGrid(
      [
        'receivers',
        'system',
        'p50 write->all',
        'p99 write->all [min … max]',
        'relayed/s [min … max]',
        'server CPU/relayed',
        'server busy',
        'clients busy',
        'clients GC max',
        'bytes/delivery',
      ],
      r.summaries.map((s) => [
        count(s.receivers),
        systemName(s.system),
        formatMs(s.p50Ms.median),
        range(s.p99Ms),
        `${formatRate(s.relayedPerSecond.median)} [${formatRate(s.relayedPerSecond.min)} … ${formatRate(s.relayedPerSecond.max)}]`,
        formatMs(s.serverCpuUsPerRelayed.median / 1000),
        `${(100 * s.serverBusy.median).toFixed(0)}%`,
        `${(100 * s.clientsBusy.median).toFixed(0)}%`,
        formatMs(s.clientsGcMaxMs.median),
        `${s.bytesPerDelivery.toFixed(0)} B`,
      ]),
    ),
    '',
    renderGrid(
      [
        'receivers',
        'p50 Weft/y-ws',
        'p99 Weft/y-ws',
        'p99 target: <= y-ws',
        'relayed/s Weft/y-ws',
        'throughput target: >= y-ws',
        'server CPU per relayed change, Weft/y-ws',
      ],
      r.comparison.map((c) => [
        count(c.receivers),
        `${c.p50Ratio.toFixed(2)}x`,
        `${c.p99Ratio.toFixed(2)}x`,
        yesNo(c.p99Met),
        `${c.throughputRatio.toFixed(2)}x`,
        yesNo(c.throughputMet),
        `${c.serverCpuRatio.toFixed(2)}x`,
      ]),
    ),
  ];
  const plans = r.plans.map(
    (p) =>
      `${count(p.receivers)} receivers: ${p.latencyWrites} writes every ${p.intervalMs} ms, throughput bursts of ${p.throughputWrites} writes`,
  );
  out.push(
    `    latency: from the writer's write call to the moment the last receiver has applied it; one write at a time (each waits until the previous one reached every receiver, and at least the interval after it), at most ${count(r.settings.pacedDeliveriesPerSecond)} deliveries/s (${plans.join('; ')}); p50/p99 per rep, median of reps; the two systems are set up side by side and take turns, a rep each (the order swapping every rep), each rep after ${config.warmupWrites} unmeasured writes`,
    '    relayed/s: writes × receivers ÷ (first write -> last receiver has the last write), the writer writing as fast as it can (yielding to I/O after each write)',
    "    server CPU/relayed: the server process's CPU time during the burst ÷ changes relayed (1 s ÷ this = what one fully busy server core could relay); busy = CPU time ÷ wall time (over 100%: GC and I/O threads)",
    "    the receivers share one process and one core: the latency to the last receiver includes every receiver's own apply work, done one after another, and that process's GC pauses (clients GC max: its longest pause during a latency rep, median of reps)",
    '    Weft receivers: real replicas (in-memory database, SyncSession over connectWebSocket) that verify, apply and store each change (a server asks its clients for no acks); the Weft server relays changes as they come (changes that arrive together go to each client in one message) and stores them durably (SQLite, synchronous=FULL) before acknowledging it to its writer; y-websocket keeps its document in memory',
  );
  for (const s of r.summaries)
    if (s.errors.length > 0)
      out.push(
        `    ${systemName(s.system)} × ${s.receivers}: ${s.errors.length} errors, first: ${s.errors[0]}`,
      );
  return out;
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = now();
  const load = loadavg();
  const reconnect = enabled('reconnect') ? await benchReconnect() : undefined;
  const initialSync = enabled('initial') ? await benchInitial() : undefined;
  const fanout = enabled('fanout') ? await benchFanout() : undefined;
  const receive = enabled('receive') ? await benchReceiveGroup() : undefined;
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    tempRoot: root,
    fanoutServerRoot: serverRoot,
    loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
    loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    mode: args.quick ? 'quick' : 'full',
    targetsApplyTo: 'the full run (the quick run uses smaller sizes)',
    config,
    totalSeconds: (now() - started) / 1000,
  };
  if (args.json) {
    const json = { environment, reconnect, initialSync, fanout, receive };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(
    'Weft sync benchmarks. Times are medians of repetitions [min … max]; bytes are payload bytes of sync messages (no WebSocket framing).',
  );
  out.push(
    `${environment.mode} run, ${environment.node}, ${environment.cpus}, load ${environment.loadAverageAtStart.join(' ')} at start, ${environment.loadAverageAtEnd.join(' ')} at end`,
  );
  if (args.quick)
    out.push('Quick run: smaller sizes and fewer repetitions; the targets are for the full run.');
  for (const section of [
    reconnect && renderReconnect(reconnect),
    initialSync && renderInitial(initialSync),
    fanout && renderFanout(fanout),
    receive && renderReceive(receive),
  ]) {
    if (!section) continue;
    out.push('');
    out.push(...section);
  }
  out.push('');
  out.push(`Total ${environment.totalSeconds.toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
