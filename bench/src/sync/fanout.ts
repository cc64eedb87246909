// Fan-out: one writer, N receivers on one space, one server process. Each configuration runs
// in fresh processes: the server (server-child.js) and every client (fanout-clients.js); the
// configurations compared are set up side by side and take turns, one measured write each.
import { type Stats, summarize } from '../lib/stats.js';
import { Child } from './child.js';
import { log, sleep } from './common.js';
import type { FanoutConfig, FanoutOutcome, LatencyRep, ThroughputRep } from './fanout-clients.js';

export type { FanoutConfig, FanoutOutcome, System } from './fanout-clients.js';

/**
 * One configuration (one system, one number of receivers) in its own processes: set up once,
 * then measured a step at a time (see `interleavedRep`), so that two systems can take turns.
 */
export class FanoutRunner {
  private constructor(
    private readonly child: Child,
    readonly config: FanoutConfig,
  ) {}

  static async start(config: FanoutConfig): Promise<FanoutRunner> {
    const child = Child.start('fanout-clients.js', [], config.clientsExecArgv);
    const runner = new FanoutRunner(child, config);
    try {
      const { connectMs } = await runner.ask('setup', { config }, 10 * 60_000);
      runner.log(
        `${config.receivers} receivers connected and synced in ${(Number(connectMs) / 1000).toFixed(1)} s`,
      );
      return runner;
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  /** Starts a latency repetition: unmeasured warm-up writes, then the counters are reset. */
  startLatency(): Promise<unknown> {
    return this.ask('startLatency', {}, 10 * 60_000);
  }

  /** One measured write; resolves once every receiver has it. */
  write(): Promise<unknown> {
    return this.ask('write', {}, 5 * 60_000);
  }

  /** Ends the latency part of repetition `index` (from 0), then makes its throughput burst. */
  async finishRep(index: number): Promise<void> {
    const { latency } = await this.ask('endLatency', {}, 60_000);
    const { throughput } = await this.ask('throughput', {}, 30 * 60_000);
    this.log(
      `rep ${index + 1}/${this.config.reps}: ${describeRep(latency as LatencyRep, throughput as ThroughputRep)}`,
    );
  }

  /** Ends the run: closes the clients and the server, and returns what every rep measured. */
  async finish(): Promise<FanoutOutcome> {
    try {
      const { result } = await this.ask('finish', {}, 5 * 60_000);
      return result as FanoutOutcome;
    } finally {
      await this.child.stop();
    }
  }

  /** Stops the processes without waiting for results (after a failure elsewhere). */
  async abort(): Promise<void> {
    await this.child.stop();
  }

  private async ask(type: string, fields: Record<string, unknown>, ms: number) {
    const reply = await this.child.ask({ type, ...fields }, ms);
    if (reply.error !== undefined)
      throw new Error(`fan-out ${type} (${this.config.system}): ${String(reply.error)}`);
    return reply;
  }

  private log(text: string): void {
    log(`   ${this.config.system} × ${this.config.receivers}: ${text}`);
  }
}

/**
 * One repetition of the configurations given (the systems compared, at one receiver count):
 * their measured writes take turns, one system's then the other's, a write every
 * `intervalMs / configurations` (each after the one before has reached every receiver, each
 * system's at least `intervalMs` apart); then each makes its throughput burst. A moment when
 * the machine stalls (it is shared) then falls on both systems' writes alike, and a tail
 * latency tells the systems apart rather than when each happened to run.
 */
export async function interleavedRep(runners: readonly FanoutRunner[], index: number) {
  for (const runner of runners) await runner.startLatency();
  const { latencyWrites, intervalMs } = runners[0]!.config;
  const slot = intervalMs / runners.length;
  let next = performance.now();
  for (let k = 0; k < latencyWrites; k++) {
    for (const runner of runners) {
      const wait = next - performance.now();
      if (wait >= 1) await sleep(wait);
      next = performance.now() + slot;
      await runner.write();
    }
  }
  for (const runner of runners) await runner.finishRep(index);
}

/** The progress line of one repetition. */
function describeRep(latency: LatencyRep, throughput: ThroughputRep): string {
  const l = latency;
  const t = throughput;
  return (
    `p50 ${l.p50.toFixed(2)} ms (first receiver ${l.firstP50.toFixed(2)} ms), p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(0)} ms (its first receiver: ${l.slowestFirstMs.toFixed(0)} ms; clients' longest GC pause ${l.clientsGcMaxMs.toFixed(0)} ms; longest event-loop delay: clients ${l.clientsLoopDelayMaxMs.toFixed(0)} ms, server ${l.serverLoopDelayMaxMs.toFixed(0)} ms); ` +
    `${Math.round(t.relayedPerSecond)} relayed/s (server busy ${(100 * t.serverBusy).toFixed(0)}%, clients ${(100 * t.clientsBusy).toFixed(0)}%)`
  );
}

/** The medians (over repetitions) of what one configuration measured. */
export interface FanoutSummary {
  readonly system: string;
  readonly receivers: number;
  readonly p50Ms: Stats;
  readonly p99Ms: Stats;
  readonly maxMs: Stats;
  readonly relayedPerSecond: Stats;
  readonly serverCpuUsPerRelayed: Stats;
  readonly serverBusy: Stats;
  readonly clientsBusy: Stats;
  /** The clients' process: longest GC pause during a latency rep (median of reps). */
  readonly clientsGcMaxMs: Stats;
  readonly bytesPerDelivery: number;
  readonly messagesPerDelivery: number;
  readonly connectMs: number;
  readonly serverHeapMiB: number;
  readonly clientsHeapMiB: number;
  readonly errors: readonly string[];
}

export function summarizeFanout(outcome: FanoutOutcome): FanoutSummary {
  const l = outcome.latency;
  const t = outcome.throughput;
  return {
    system: outcome.system,
    receivers: outcome.receivers,
    p50Ms: summarize(l.map((x) => x.p50)),
    p99Ms: summarize(l.map((x) => x.p99)),
    maxMs: summarize(l.map((x) => x.max)),
    relayedPerSecond: summarize(t.map((x) => x.relayedPerSecond)),
    serverCpuUsPerRelayed: summarize(t.map((x) => x.serverCpuUsPerRelayed)),
    serverBusy: summarize(t.map((x) => x.serverBusy)),
    clientsBusy: summarize(t.map((x) => x.clientsBusy)),
    clientsGcMaxMs: summarize(l.map((x) => x.clientsGcMaxMs)),
    bytesPerDelivery: summarize(l.map((x) => x.bytesPerDelivery)).median,
    messagesPerDelivery: summarize(l.map((x) => x.messagesPerDelivery)).median,
    connectMs: outcome.connectMs,
    serverHeapMiB: outcome.serverHeapMiB,
    clientsHeapMiB: outcome.clientsHeapMiB,
    errors: outcome.errors,
  };
}
