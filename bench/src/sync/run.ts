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
import { fullGc } from '../lib/gc.js';
import { now } from '../lib/stats.js';
import { log } from './common.js';
import type { System } from './fanout.js';
import { benchFanout, renderFanout, SYSTEMS } from './fanout-section.js';
import { benchInitial, renderInitial } from './initial-section.js';
import { benchReceive, renderReceive } from './receive.js';
import { benchReconnect, renderReconnect } from './reconnect-section.js';
import { FULL, QUICK, type SyncBenchConfig, type SyncBenchRun } from './settings.js';

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
const config: SyncBenchConfig = {
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
const systems = (args.systems?.split(',') ?? SYSTEMS) as System[];
for (const system of systems)
  if (!SYSTEMS.includes(system))
    throw new Error(`--systems takes systems among ${SYSTEMS.join(', ')}; not "${system}"`);
const only = args.only === undefined ? undefined : new Set(args.only.split(','));
for (const group of only ?? [])
  if (!GROUPS.includes(group))
    throw new Error(`--only takes groups among ${GROUPS.join(', ')}; not "${group}"`);
const enabled = (group: string) => only === undefined || only.has(group);
const run: SyncBenchRun = { config, root, serverRoot, systems, profileArgv };

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

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = now();
  const load = loadavg();
  const reconnect = enabled('reconnect') ? await benchReconnect(run) : undefined;
  const initialSync = enabled('initial') ? await benchInitial(run) : undefined;
  const fanout = enabled('fanout') ? await benchFanout(run) : undefined;
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
