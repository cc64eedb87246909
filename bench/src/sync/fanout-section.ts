// 3. Fan-out: one writer, N receivers, Weft's server against y-websocket's (the harness is
// fanout.ts, its processes fanout-clients.ts and server-child.ts).
import { removeDir, tempDir } from '../lib/fs.js';
import { formatMet, formatMs, formatRate, formatStats, renderGrid } from '../lib/report.js';
import { median, type Stats } from '../lib/stats.js';
import { count, log } from './common.js';
import {
  FanoutRunner,
  type FanoutSummary,
  interleavedRep,
  type System,
  summarizeFanout,
} from './fanout.js';
import type { SyncBenchConfig, SyncBenchRun } from './settings.js';

export const SYSTEMS: readonly System[] = ['weft', 'yjs'];

const systemName = (system: string) => (system === 'weft' ? 'Weft' : 'y-websocket');

/**
 * Weft ÷ y-websocket at one receiver count. A repetition measures both systems at once (their
 * writes take turns), so each ratio is the median over repetitions of that repetition's ratio:
 * a slow spell of the machine raises both sides of a ratio, not one system's median.
 */
interface FanoutComparison {
  readonly receivers: number;
  /** Weft p99 / y-websocket p99: lower is better; the target is at most 1. */
  readonly p99Ratio: number;
  /** The same from each system's median p99 (a median over repetitions, then the ratio). */
  readonly p99RatioOfMedians: number;
  readonly p50Ratio: number;
  /** Weft relayed/s ÷ y-websocket's: higher is better; the target is at least 1. */
  readonly throughputRatio: number;
  /** Weft's server CPU per relayed change ÷ y-websocket's (> 1: Weft's server spends more). */
  readonly serverCpuRatio: number;
  readonly p99Met: boolean;
  readonly throughputMet: boolean;
}

/** The median over repetitions of Weft's figure ÷ y-websocket's in the same repetition. */
function pairedRatio(weft: Stats, yjs: Stats): number {
  return median(weft.samples.map((w, rep) => w / yjs.samples[rep]!));
}

export interface FanoutResult {
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

function fanoutPlan(config: SyncBenchConfig, receivers: number) {
  const intervalMs = Math.max(1, Math.round((1000 * receivers) / config.pacedDeliveriesPerSecond));
  return {
    intervalMs,
    latencyWrites: receivers <= 100 ? config.latencyWritesSmall : config.latencyWritesLarge,
    throughputWrites: Math.max(20, Math.round(config.throughputDeliveries / receivers)),
  };
}

export async function benchFanout(run: SyncBenchRun): Promise<FanoutResult> {
  const { config, systems, serverRoot, profileArgv } = run;
  const summaries: FanoutSummary[] = [];
  const comparison: FanoutComparison[] = [];
  for (const [i, receivers] of config.receivers.entries()) {
    const plan = fanoutPlan(config, receivers);
    const order = (i % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse()).filter((s) =>
      systems.includes(s),
    );
    const bySystem = new Map<System, FanoutSummary>();
    const dataDirs: string[] = [];
    const runners: FanoutRunner[] = [];
    try {
      // Both systems are set up first, then take turns a measured write at a time (which
      // goes first swapping every repetition): a machine that drifts or stalls slows both.
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
      for (let rep = 0; rep < config.reps; rep++)
        await interleavedRep(rep % 2 === 0 ? runners : [...runners].reverse(), rep);
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
    const p99Ratio = pairedRatio(w.p99Ms, y.p99Ms);
    const throughputRatio = pairedRatio(w.relayedPerSecond, y.relayedPerSecond);
    comparison.push({
      receivers,
      p99Ratio,
      p99RatioOfMedians: w.p99Ms.median / y.p99Ms.median,
      p50Ratio: pairedRatio(w.p50Ms, y.p50Ms),
      throughputRatio,
      serverCpuRatio: pairedRatio(w.serverCpuUsPerRelayed, y.serverCpuUsPerRelayed),
      p99Met: p99Ratio <= 1,
      throughputMet: throughputRatio >= 1,
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
    plans: config.receivers.map((receivers) => ({ receivers, ...fanoutPlan(config, receivers) })),
    summaries,
    comparison,
  };
}

export function renderFanout(r: FanoutResult): string[] {
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
        formatStats(s.p99Ms),
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
        'p99 medians, Weft/y-ws',
        'relayed/s Weft/y-ws',
        'throughput target: >= y-ws',
        'server CPU per relayed change, Weft/y-ws',
      ],
      r.comparison.map((c) => [
        count(c.receivers),
        `${c.p50Ratio.toFixed(2)}x`,
        `${c.p99Ratio.toFixed(2)}x`,
        formatMet(c.p99Met),
        `${c.p99RatioOfMedians.toFixed(2)}x`,
        `${c.throughputRatio.toFixed(2)}x`,
        formatMet(c.throughputMet),
        `${c.serverCpuRatio.toFixed(2)}x`,
      ]),
    ),
  ];
  const plans = r.plans.map(
    (p) =>
      `${count(p.receivers)} receivers: ${p.latencyWrites} writes every ${p.intervalMs} ms, throughput bursts of ${p.throughputWrites} writes`,
  );
  out.push(
    `    latency: from the writer's write call to the moment the last receiver has applied it; one write at a time (each waits until the previous one reached every receiver, and at least the interval after it), at most ${count(r.settings.pacedDeliveriesPerSecond)} deliveries/s (${plans.join('; ')}); p50/p99 per rep, median of reps; the two systems are set up side by side and their measured writes take turns (Weft's, y-websocket's, Weft's…, a write every half interval; which goes first swapping every rep), so that a stall of the machine falls on both; each rep after ${r.settings.warmupWrites} unmeasured writes per system`,
    "    Weft/y-ws ratios (and the targets): per rep Weft's figure ÷ y-websocket's in the same rep, median of reps (the reps are paired: both systems' writes take turns); 'p99 medians': Weft's median p99 ÷ y-websocket's",
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
