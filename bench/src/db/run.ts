// The database benchmarks: Weft on its SQLite storage, side by side with raw better-sqlite3
// doing the same work (the floor). `npm run bench -- [options]` or
// `node bench/dist/db/run.js [options]`:
//   --json          one JSON document on stdout instead of the table
//   --quick         smaller sizes and fewer repetitions (a smoke test, well under 30 s)
//   --dir D         where the temporary databases go (default: the OS temp dir)
//   --reps N        repetitions of every benchmark
//   --only a,b      groups to run: bulk, acked, reads, history
// Progress goes to stderr; the results to stdout.

import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newDocId } from '@weft/core';
import { dirSize, removeDir, tempDir } from '../lib/fs.js';
import { fullGc } from '../lib/gc.js';
import { randomInt, seededRandom } from '../lib/random.js';
import { formatBytes, formatMs, makeResult, type Result, renderTable } from '../lib/report.js';
import { now, type Stats, summarize } from '../lib/stats.js';
import { makeIds, makeTasks, type Task } from './data.js';
import {
  FLOOR_FILE,
  FloorFixture,
  floorAckedInserts,
  floorBuildHistory,
  floorBulkInsert,
  floorOpenCount,
} from './floor.js';
import {
  indexedQuery,
  scanQuery,
  WeftFixture,
  weftAckedInserts,
  weftBuildHistory,
  weftBulkInsert,
  weftOpenCount,
} from './weft.js';

interface Config {
  /** Documents in the one-transaction insert. */
  readonly bulk: number;
  /** Documents written as separate acknowledged writes. */
  readonly acked: number;
  /** Documents in the read fixture. */
  readonly read: number;
  /** Point gets per repetition. */
  readonly gets: number;
  /** Indexed queries per repetition. */
  readonly indexedQueries: number;
  /** Full-scan queries per repetition. */
  readonly scanQueries: number;
  /** Writes observed by each live query (each one a repetition). */
  readonly liveWrites: number;
  /** Documents and total changes of the history space. */
  readonly historyDocs: number;
  readonly historyChanges: number;
  /** Writes issued between waits for durability while building the history. */
  readonly burst: number;
  /** Repetitions of write and open benchmarks, and of read benchmarks. */
  readonly reps: number;
  readonly readReps: number;
}

const FULL: Config = {
  bulk: 100_000,
  acked: 10_000,
  read: 100_000,
  gets: 100_000,
  indexedQueries: 1_000,
  scanQueries: 3,
  liveWrites: 21,
  historyDocs: 100_000,
  historyChanges: 1_000_000,
  burst: 10_000,
  reps: 5,
  readReps: 7,
};

const QUICK: Config = {
  bulk: 10_000,
  acked: 200,
  read: 10_000,
  gets: 10_000,
  indexedQueries: 200,
  scanQueries: 3,
  liveWrites: 5,
  historyDocs: 10_000,
  historyChanges: 50_000,
  burst: 5_000,
  reps: 3,
  readReps: 3,
};

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    dir: { type: 'string' },
    reps: { type: 'string' },
    only: { type: 'string' },
  },
});

const repsOverride = args.reps === undefined ? undefined : Number(args.reps);
if (repsOverride !== undefined && !(Number.isInteger(repsOverride) && repsOverride > 0))
  throw new Error('--reps takes a positive integer');
const base = args.quick ? QUICK : FULL;
const config: Config =
  repsOverride === undefined ? base : { ...base, reps: repsOverride, readReps: repsOverride };
const root = args.dir ?? tmpdir();
const GROUPS = ['bulk', 'acked', 'reads', 'history'];
const only = args.only === undefined ? undefined : new Set(args.only.split(','));
for (const group of only ?? [])
  if (!GROUPS.includes(group))
    throw new Error(`--only takes groups among ${GROUPS.join(', ')}; not "${group}"`);
const enabled = (group: string) => only === undefined || only.has(group);

const results: Result[] = [];
const sizes: { what: string; weftBytes: number; floorBytes: number }[] = [];
let history: Record<string, number> | undefined;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs `weft` and `floor` `reps` times, alternating which goes first, with a GC before each. */
async function alternate<T>(
  reps: number,
  weft: () => Promise<T> | T,
  floor: () => Promise<T> | T,
): Promise<{ weft: T[]; floor: T[] }> {
  const out = { weft: [] as T[], floor: [] as T[] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? (['weft', 'floor'] as const) : (['floor', 'weft'] as const);
    for (const side of order) {
      fullGc();
      out[side].push(await (side === 'weft' ? weft() : floor()));
    }
  }
  return out;
}

const stats = (xs: readonly { ms: number }[], perOp = 1): Stats =>
  summarize(xs.map((x) => x.ms / perOp));

const count = (n: number) => n.toLocaleString('en-US');

// ---- 1. one transaction of inserts ------------------------------------------------------

async function benchBulk(): Promise<void> {
  const tasks = makeTasks(config.bulk, 1);
  log(`1. bulk insert: ${count(config.bulk)} docs in one transaction, ${config.reps} reps`);
  // Warm-up (not recorded): compiles both code paths.
  await weftBulkInsert(root, tasks.slice(0, 2000));
  floorBulkInsert(root, tasks.slice(0, 2000));
  const runs = await alternate(
    config.reps,
    () => weftBulkInsert(root, tasks),
    () => floorBulkInsert(root, tasks),
  );
  results.push(
    makeResult({
      id: 'bulk-insert',
      title: `1 insert ${count(config.bulk)} docs, one transaction`,
      kind: 'total',
      weft: stats(runs.weft),
      floor: stats(runs.floor),
      floorDoes: `one SQLite transaction of ${count(config.bulk)} INSERTs (id + JSON.stringify)`,
      docs: config.bulk,
      target: { text: 'ratio <= 2.0x', maxRatio: 2 },
      notes: ['timed: collection.insertMany(N docs), one transaction, until durable'],
    }),
  );
  const loop = await alternate(
    config.reps,
    () => weftBulkInsert(root, tasks, 'insert loop'),
    () => floorBulkInsert(root, tasks),
  );
  results.push(
    makeResult({
      id: 'bulk-insert-loop',
      title: `1b insert × ${count(config.bulk)} inside one transact`,
      kind: 'total',
      weft: stats(loop.weft),
      floor: stats(loop.floor),
      floorDoes: `one SQLite transaction of ${count(config.bulk)} INSERTs (id + JSON.stringify)`,
      docs: config.bulk,
      notes: ['timed: space.transact(() => insert × N) until durable'],
    }),
  );
  sizes.push({
    what: `${count(config.bulk)} docs inserted in one transaction`,
    weftBytes: runs.weft.at(-1)!.bytes,
    floorBytes: runs.floor.at(-1)!.bytes,
  });
}

// ---- 2. separate acknowledged writes ----------------------------------------------------

async function benchAcked(): Promise<void> {
  const tasks = makeTasks(config.acked, 2);
  log(`2. acknowledged writes: ${count(config.acked)} awaited inserts, ${config.reps} reps`);
  await weftAckedInserts(root, tasks.slice(0, 50));
  floorAckedInserts(root, tasks.slice(0, 50));
  const runs = await alternate(
    config.reps,
    () => weftAckedInserts(root, tasks),
    () => floorAckedInserts(root, tasks),
  );
  results.push(
    makeResult({
      id: 'acked-writes',
      title: `2 insert ${count(config.acked)} docs, each awaited`,
      kind: 'total',
      weft: stats(runs.weft),
      floor: stats(runs.floor),
      floorDoes: `${count(config.acked)} autocommit INSERTs (each fsynced, synchronous=FULL)`,
      docs: config.acked,
      notes: [
        `per write: Weft ${formatMs(stats(runs.weft, config.acked).median)}, floor ${formatMs(stats(runs.floor, config.acked).median)}`,
      ],
    }),
  );
  sizes.push({
    what: `${count(config.acked)} docs inserted as separate writes`,
    weftBytes: runs.weft.at(-1)!.bytes,
    floorBytes: runs.floor.at(-1)!.bytes,
  });
}

// ---- 3-6. reads and live queries over one fixture ----------------------------------------

async function benchReads(): Promise<void> {
  const ids = makeIds(config.read);
  const tasks = makeTasks(config.read, 3);
  log(`building the read fixture: ${count(config.read)} docs with the (priority, n) index`);
  const weftDir = tempDir(root, 'weft-read');
  const floorDir = tempDir(root, 'floor-read');
  try {
    fullGc();
    let t0 = now();
    const weft = await WeftFixture.build(weftDir, ids, tasks);
    const weftBuild = now() - t0;
    fullGc();
    t0 = now();
    const floor = new FloorFixture(floorDir, ids, tasks);
    const floorBuild = now() - t0;
    const collection = weft.tasks;
    const plans = floor.queryPlans();
    const random = seededRandom(42);

    // 3. point gets
    const picks = Array.from({ length: config.gets }, () => ids[randomInt(random, ids.length)]!);
    let sink = 0;
    const weftGets = () => {
      const t = now();
      for (const id of picks) sink += collection.get(id)!.n;
      return { ms: now() - t };
    };
    const floorGets = () => {
      const t = now();
      for (const id of picks) sink += floor.get(id)!.n;
      return { ms: now() - t };
    };
    log(`3. point gets: ${count(config.gets)} random ids per rep, ${config.readReps} reps`);
    weftGets();
    floorGets();
    const gets = await alternate(config.readReps, weftGets, floorGets);
    results.push(
      makeResult({
        id: 'point-get',
        title: '3 get by id (random)',
        kind: 'per-op',
        weft: stats(gets.weft, config.gets),
        floor: stats(gets.floor, config.gets),
        floorDoes: 'SELECT body FROM docs WHERE id = ? (prepared) + JSON.parse',
        notes: [`${count(config.gets)} gets per rep; Weft returns its materialized doc`],
      }),
    );

    // 4. indexed range query, 100 rows
    const froms = Array.from({ length: config.indexedQueries }, () =>
      randomInt(random, Math.floor(config.read / 2)),
    );
    for (const from of froms.slice(0, 50)) {
      const w = collection.find(indexedQuery(3, from)).map((d) => d.id);
      const f = floor.indexed(3, from).map((d) => d.id);
      if (w.length !== 100 || w.join() !== f.join())
        throw new Error(`the indexed query differs at n >= ${from}: ${w.length} vs ${f.length}`);
    }
    const weftIndexed = () => {
      const t = now();
      for (const from of froms) sink += collection.find(indexedQuery(3, from)).length;
      return { ms: now() - t };
    };
    const floorIndexed = () => {
      const t = now();
      for (const from of froms) sink += floor.indexed(3, from).length;
      return { ms: now() - t };
    };
    log(`4. indexed query: ${count(config.indexedQueries)} per rep, ${config.readReps} reps`);
    const indexed = await alternate(config.readReps, weftIndexed, floorIndexed);
    results.push(
      makeResult({
        id: 'indexed-query',
        title: '4 indexed range query, 100 rows',
        kind: 'per-op',
        weft: stats(indexed.weft, config.indexedQueries),
        floor: stats(indexed.floor, config.indexedQueries),
        floorDoes: `json_extract index on (priority, n), ORDER BY n LIMIT 100, + JSON.parse [${plans.indexed}]`,
        target: { text: 'ratio <= 2.0x', maxRatio: 2 },
        notes: [
          "Weft: find({ where: { priority: 3, n: { gte: X } }, orderBy: 'n', limit: 100 })",
          `Weft plan: ${collection.explain(indexedQuery(3, 0)).text.replace(/\s*\n\s*/g, '; ')}`,
        ],
      }),
    );

    // 5. full-scan filter
    const scanOwner = 'u17';
    const scanPrefix = 'task 1';
    const scanW = collection.find(scanQuery(scanOwner, scanPrefix)).map((d) => d.id);
    const scanF = floor.scan(scanOwner, scanPrefix).map((d) => d.id);
    if (scanW.join() !== scanF.join())
      throw new Error(`the scan query differs: ${scanW.length} vs ${scanF.length} rows`);
    const weftScan = () => {
      const t = now();
      for (let k = 0; k < config.scanQueries; k++)
        sink += collection.find(scanQuery(scanOwner, scanPrefix)).length;
      return { ms: now() - t };
    };
    const floorScan = () => {
      const t = now();
      for (let k = 0; k < config.scanQueries; k++) sink += floor.scan(scanOwner, scanPrefix).length;
      return { ms: now() - t };
    };
    log(`5. full scan: ${config.scanQueries} per rep, ${config.readReps} reps`);
    const scans = await alternate(config.readReps, weftScan, floorScan);
    results.push(
      makeResult({
        id: 'scan-query',
        title: `5 full-scan filter over ${count(config.read)} docs`,
        kind: 'per-op',
        weft: stats(scans.weft, config.scanQueries),
        floor: stats(scans.floor, config.scanQueries),
        floorDoes: `json_extract(owner) = ? AND json_extract(title) GLOB 'task 1*' ORDER BY id, + JSON.parse [${plans.scan}]`,
        notes: [
          `Weft: find({ where: { owner: 'u17', title: { startsWith: 'task 1' } } }): ${scanW.length} rows, ordered by id`,
        ],
      }),
    );

    // 6. live-query latency
    const liveFrom = Math.floor(config.read / 2);
    const live = async (
      label: string,
      query: ReturnType<typeof indexedQuery>,
      makeTask: (k: number) => Task,
      requery: () => { id: string }[],
    ) => {
      let expected = '';
      let firedAt = -1;
      const unsubscribe = collection.subscribe(query, (_result, change) => {
        if (change.added.some((d) => d.id === expected)) firedAt = now();
      });
      const acks: number[] = [];
      let k = 0;
      const weftLive = async () => {
        const task = makeTask(k++);
        expected = newDocId();
        firedAt = -1;
        const t = now();
        const written = collection.insert({ ...task, id: expected });
        await written;
        const acked = now() - t;
        if (firedAt < 0) throw new Error(`${label}: the live query did not see the write`);
        acks.push(acked);
        return { ms: firedAt - t };
      };
      const floorLive = () => {
        const task = makeTask(k++);
        const id = newDocId();
        const t = now();
        floor.insert(id, task);
        const rows = requery();
        const ms = now() - t;
        if (!rows.some((r) => r.id === id)) throw new Error(`${label}: the floor missed the write`);
        return { ms };
      };
      await weftLive();
      floorLive();
      acks.length = 0;
      const runs = await alternate(config.liveWrites, weftLive, floorLive);
      unsubscribe();
      return { runs, ack: summarize(acks) };
    };
    log(`6. live queries: ${config.liveWrites} writes each`);
    const liveIndexed = await live(
      'indexed live query',
      indexedQuery(3, liveFrom),
      (k) => ({
        title: `live ${k}`,
        status: 'open',
        priority: 3,
        owner: 'u1',
        n: liveFrom + 0.5 + k / 1000,
      }),
      () => floor.indexed(3, liveFrom),
    );
    results.push(
      makeResult({
        id: 'live-indexed',
        title: '6a live query (indexed, limit 100): write -> callback',
        kind: 'total',
        weft: stats(liveIndexed.runs.weft),
        floor: stats(liveIndexed.runs.floor),
        floorDoes: 'autocommit INSERT (fsynced) then re-run the indexed SQL query',
        notes: [
          'Weft: from the insert() call to the subscribe callback with the new row (fires before the write is durable)',
          `Weft write -> durable ack: median ${formatMs(liveIndexed.ack.median)} [${formatMs(liveIndexed.ack.min)} … ${formatMs(liveIndexed.ack.max)}]`,
        ],
      }),
    );
    const liveScan = await live(
      'scan live query',
      scanQuery(scanOwner, scanPrefix),
      (k) => ({
        title: `task 1 live ${k}`,
        status: 'open',
        priority: 5,
        owner: scanOwner,
        n: -1 - k,
      }),
      () => floor.scan(scanOwner, scanPrefix),
    );
    results.push(
      makeResult({
        id: 'live-scan',
        title: '6b live query (full scan): write -> callback',
        kind: 'total',
        weft: stats(liveScan.runs.weft),
        floor: stats(liveScan.runs.floor),
        floorDoes: 'autocommit INSERT (fsynced) then re-run the full-scan SQL query',
        notes: [
          'Weft: from the insert() call to the subscribe callback; the query re-runs as a full scan',
          `Weft write -> durable ack: median ${formatMs(liveScan.ack.median)} [${formatMs(liveScan.ack.min)} … ${formatMs(liveScan.ack.max)}]`,
        ],
      }),
    );

    const weftBytes = await weft.close();
    const floorBytes = floor.close();
    sizes.push({
      what: `read fixture: ${count(config.read)} docs + (priority, n) index, one transaction (+ live writes)`,
      weftBytes,
      floorBytes,
    });
    history = {
      ...history,
      readFixtureWeftBuildMs: weftBuild,
      readFixtureFloorBuildMs: floorBuild,
    };
    if (sink === Number.MIN_SAFE_INTEGER) log('unreachable');
  } finally {
    removeDir(weftDir);
    removeDir(floorDir);
  }
}

// ---- 7. opening a space with a long history ---------------------------------------------

async function benchHistory(): Promise<void> {
  const docs = config.historyDocs;
  const updates = config.historyChanges - docs;
  const ids = makeIds(docs);
  const tasks = makeTasks(docs, 4);
  const weftDir = tempDir(root, 'weft-history');
  const floorDir = tempDir(root, 'floor-history');
  try {
    log(
      `7. building the history: ${count(docs)} inserts + ${count(updates)} updates, one transaction each, awaited every ${count(config.burst)}`,
    );
    fullGc();
    let lastReport = now();
    const built = await weftBuildHistory(weftDir, ids, tasks, updates, config.burst, (done) => {
      if (now() - lastReport > 10_000) {
        lastReport = now();
        log(`   ${count(done)} changes`);
      }
    });
    const heapAfterBuildMiB = process.memoryUsage().heapUsed / 2 ** 20;
    if (built.changes !== config.historyChanges)
      throw new Error(
        `the history has ${built.changes} changes, expected ${config.historyChanges}`,
      );
    log(`   Weft built it in ${formatMs(built.ms)}; building the floor`);
    fullGc();
    const floorFile = join(floorDir, FLOOR_FILE);
    const floorBuildMs = floorBuildHistory(floorFile, ids, tasks, updates, config.burst);
    sizes.push({
      what: `${count(docs)} docs with ${count(config.historyChanges)} changes of history`,
      weftBytes: dirSize(weftDir),
      floorBytes: dirSize(floorDir),
    });
    log(`   opening: ${config.reps} reps`);
    const check = <R extends { count: number }>(r: R): R => {
      if (r.count !== docs) throw new Error(`opened ${r.count} docs, expected ${docs}`);
      return r;
    };
    const opens = await alternate(
      config.reps,
      async () => check(await weftOpenCount(weftDir)),
      () => check(floorOpenCount(floorFile)),
    );
    results.push(
      makeResult({
        id: 'open-history',
        title: `7 open ${count(docs)} docs / ${count(config.historyChanges)} changes + count()`,
        kind: 'total',
        weft: stats(opens.weft),
        floor: stats(opens.floor),
        floorDoes:
          'open the file (WAL, synchronous=FULL) + SELECT count(*); SQLite keeps no history',
        target: { text: 'Weft < 1 s', maxMs: 1000 },
        notes: [
          'Weft: openSqliteDatabase + db.space() + collection().count(); warm page cache',
          `built in: Weft ${formatMs(built.ms)}, floor ${formatMs(floorBuildMs)} (same statements in transactions of ${count(config.burst)})`,
        ],
      }),
    );
    history = {
      ...history,
      weftBuildMs: built.ms,
      floorBuildMs,
      changes: built.changes,
      runs: built.runs,
      logBytes: built.logBytes,
      snapshotBytes: built.snapshotBytes,
      heapAfterBuildMiB,
    };
  } finally {
    removeDir(weftDir);
    removeDir(floorDir);
  }
}

// ---- main -------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = now();
  const load = loadavg();
  if (enabled('bulk')) await benchBulk();
  if (enabled('acked')) await benchAcked();
  if (enabled('reads')) await benchReads();
  if (enabled('history')) await benchHistory();
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    tempRoot: root,
    loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
    loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    mode: args.quick ? 'quick' : 'full',
    targetsApplyTo: 'the full run (the quick run uses smaller sizes)',
    config,
    totalSeconds: (now() - started) / 1000,
  };
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ environment, results, sizes, extra: history ?? {} }, null, 2)}\n`,
    );
    return;
  }
  const out: string[] = [];
  out.push(
    `Weft vs raw better-sqlite3 (the floor). Times are medians of repetitions [min … max]; Weft/floor is the time ratio (lower is better).`,
  );
  out.push(
    `${environment.mode} run, ${environment.node}, ${environment.cpus}, temp dirs in ${root}, load ${environment.loadAverageAtStart.join(' ')}`,
  );
  if (args.quick)
    out.push('Quick run: smaller sizes and fewer repetitions; the targets are for the full run.');
  out.push('');
  out.push(renderTable(results));
  out.push('');
  out.push('On-disk size (after close):');
  for (const s of sizes)
    out.push(
      `  ${s.what}: Weft ${formatBytes(s.weftBytes)}, floor ${formatBytes(s.floorBytes)} (${(s.weftBytes / s.floorBytes).toFixed(2)}x)`,
    );
  if (history?.weftBuildMs !== undefined) {
    out.push('');
    out.push(
      `History: ${count(history.changes ?? 0)} changes in ${count(history.runs ?? 0)} runs; log ${formatBytes(history.logBytes ?? 0)}, snapshot ${formatBytes(history.snapshotBytes ?? 0)}; built in ${formatMs(history.weftBuildMs)} (floor ${formatMs(history.floorBuildMs ?? 0)}); heap after build ${(history.heapAfterBuildMiB ?? 0).toFixed(0)} MiB`,
    );
  }
  if (history?.readFixtureWeftBuildMs !== undefined) {
    out.push(
      `Read fixture build (one transaction, with index): Weft ${formatMs(history.readFixtureWeftBuildMs)}, floor ${formatMs(history.readFixtureFloorBuildMs ?? 0)}`,
    );
  }
  out.push(`Total ${environment.totalSeconds.toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
