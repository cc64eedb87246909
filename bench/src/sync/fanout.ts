// Fan-out: one writer, N receivers on one space, one server process. Each configuration runs
// in fresh processes: the server (server-child.js) and every client (fanout-clients.js).
import { type Stats, summarize } from '../lib/stats.js';
import { Child } from './child.js';
import { log } from './common.js';
import type { FanoutConfig, FanoutOutcome } from './fanout-clients.js';

export type { FanoutConfig, FanoutOutcome, System } from './fanout-clients.js';

/** Runs one configuration (one system, one number of receivers) to the end. */
export async function runFanout(config: FanoutConfig): Promise<FanoutOutcome> {
  const child = Child.start('fanout-clients.js', [], config.clientsExecArgv);
  child.onMessage((message) => {
    if (message.type === 'progress')
      log(`   ${config.system} × ${config.receivers}: ${String(message.text)}`);
  });
  try {
    child.send({ type: 'run', config });
    const reply = await child.next('result', 30 * 60_000);
    return reply.result as FanoutOutcome;
  } finally {
    await child.stop();
  }
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
