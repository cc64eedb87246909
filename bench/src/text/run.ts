// The text benchmark (issue 5, section 3). `npm run bench:text -- [options]` or
// `node bench/dist/text/run.js [options]`:
//   --json          one JSON document on stdout instead of the table
//   --quick         the first 20,000 transactions of automerge-paper, 2 repetitions (a smoke
//                   test, about a minute without automerge)
//   --reps N        repetitions of every measurement (default 5)
//   --only a,b      libraries to run: weft, weft-db (the full database path), json-joy,
//                   diamond-types, yjs, loro, automerge
// Each library runs in a child process of its own (child.ts). Progress goes to stderr; the
// results to stdout.

import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBytes, formatMs, renderGrid } from '../lib/report.js';
import { type Stats, summarize } from '../lib/stats.js';
import type { ChildConfig, ChildResult } from './child.js';

const ORDER = ['weft', 'weft-db', 'json-joy', 'diamond-types', 'yjs', 'loro', 'automerge'];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string' },
  },
});

const reps = args.reps === undefined ? (args.quick ? 2 : 5) : Number(args.reps);
if (!(Number.isInteger(reps) && reps > 0)) throw new Error('--reps takes a positive integer');
const only = args.only === undefined ? ORDER : args.only.split(',');
for (const key of only) {
  if (!ORDER.includes(key))
    throw new Error(`--only takes libraries among ${ORDER.join(', ')}; not "${key}"`);
}
const config: ChildConfig = { reps, txns: args.quick ? 20_000 : Number.MAX_SAFE_INTEGER };

function log(message: string): void {
  process.stderr.write(`[bench:text] ${message}\n`);
}

/** Runs one library's child process and returns its result. */
function runChild(key: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const file = fileURLToPath(new URL('./child.js', import.meta.url));
    const child = spawn(process.execPath, ['--expose-gc', file, key, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`${key}: the child process exited with ${code}`));
      else resolve(JSON.parse(last) as ChildResult);
    });
  });
}

interface Row {
  readonly key: string;
  readonly name: string;
  readonly version: string;
  readonly replay: Stats;
  readonly merge: Stats;
  readonly concurrent: Stats;
  readonly load: Stats;
  readonly encodedBytes: number;
  readonly heapBytes: number;
}

type Metric = 'replay' | 'merge' | 'concurrent' | 'load' | 'encodedBytes' | 'heapBytes';

const value = (row: Row, metric: Metric): number => {
  const v = row[metric];
  return typeof v === 'number' ? v : v.median;
};

interface Target {
  readonly text: string;
  /** The Weft row measured: the bare type (default) or the full database path. */
  readonly of?: 'weft' | 'weft-db';
  readonly metric: Metric;
  readonly against: string;
  readonly maxRatio: number;
  ratio?: number;
  met?: boolean;
}

const TARGETS: Target[] = [
  { text: 'replay <= 1.0x json-joy', metric: 'replay', against: 'json-joy', maxRatio: 1 },
  { text: 'encoded size <= 1.0x yjs (v2)', metric: 'encodedBytes', against: 'yjs', maxRatio: 1 },
  {
    text: 'encoded size <= 1.0x diamond-types (stretch)',
    metric: 'encodedBytes',
    against: 'diamond-types',
    maxRatio: 1,
  },
  { text: 'load <= 1.0x yjs', metric: 'load', against: 'yjs', maxRatio: 1 },
  { text: 'merge <= 1.0x yjs', metric: 'merge', against: 'yjs', maxRatio: 1 },
  { text: 'heap <= 1.0x yjs', metric: 'heapBytes', against: 'yjs', maxRatio: 1 },
  {
    text: 'full database path: replay <= 2.0x json-joy',
    of: 'weft-db',
    metric: 'replay',
    against: 'json-joy',
    maxRatio: 2,
  },
];

async function main(): Promise<void> {
  const started = performance.now();
  const load = loadavg();
  const rows: Row[] = [];
  for (const key of ORDER.filter((k) => only.includes(k))) {
    log(`${key}: ${reps} repetitions`);
    const r = await runChild(key);
    rows.push({
      key: r.key,
      name: r.name,
      version: r.version,
      replay: summarize(r.replay),
      merge: summarize(r.merge),
      concurrent: summarize(r.concurrent),
      load: summarize(r.load),
      encodedBytes: r.encodedBytes,
      heapBytes: r.heapBytes,
    });
  }
  const weft = rows.find((r) => r.key === 'weft');
  for (const t of TARGETS) {
    const mine = rows.find((r) => r.key === (t.of ?? 'weft'));
    const other = rows.find((r) => r.key === t.against);
    if (mine === undefined || other === undefined) continue;
    t.ratio = value(mine, t.metric) / value(other, t.metric);
    t.met = t.ratio <= t.maxRatio;
  }
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverageAtStart: load.map((x) => Number(x.toFixed(2))),
    mode: args.quick ? 'quick' : 'full',
    reps,
    automergePaperTxns: args.quick ? config.txns : 'all (259,778)',
    totalSeconds: (performance.now() - started) / 1000,
  };
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          environment,
          results: rows,
          targets: TARGETS,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const metrics: [Metric, string, (v: number) => string][] = [
    ['replay', 'replay automerge-paper', formatMs],
    ['merge', 'two-peer merge', formatMs],
    ['concurrent', 'friendsforever', formatMs],
    ['encodedBytes', 'encoded size', (b) => `${b.toLocaleString('en-US')} B`],
    ['load', 'load', formatMs],
    ['heapBytes', 'heap after replay', formatBytes],
  ];
  const header = ['library', ...metrics.map(([, title]) => title)];
  const cells = rows.map((row) => [
    `${row.name} ${row.version}`,
    ...metrics.map(([metric, , format]) => {
      const v = value(row, metric);
      if (weft === undefined || row.key.startsWith('weft')) return format(v);
      return `${format(v)} (${(value(weft, metric) / v).toFixed(2)}x)`;
    }),
  ]);
  const out: string[] = [];
  out.push(
    'Text: Weft against the CRDT libraries on real editing traces. Times are medians; (Nx) is Weft ÷ that library (below 1: Weft is faster or smaller).',
  );
  out.push(
    `${environment.mode} run, ${reps} repetitions, ${environment.node}, ${environment.cpus}, load ${environment.loadAverageAtStart.join(' ')}`,
  );
  if (args.quick) out.push(`Quick run: the first ${config.txns} transactions of automerge-paper.`);
  out.push('');
  out.push(renderGrid(header, cells));
  out.push('');
  out.push('Spread (min … max):');
  for (const row of rows) {
    const range = (s: Stats) => `${formatMs(s.min)} … ${formatMs(s.max)}`;
    out.push(
      `  ${row.name}: replay ${range(row.replay)}; merge ${range(row.merge)}; friendsforever ${range(row.concurrent)}; load ${range(row.load)}`,
    );
  }
  out.push('');
  out.push('Targets (Weft bare text type unless said, ratios in this run):');
  for (const t of TARGETS) {
    const status =
      t.ratio === undefined ? 'not run' : `${t.ratio.toFixed(2)}x: ${t.met ? 'met' : 'NOT met'}`;
    out.push(`  ${t.text}: ${status}`);
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
