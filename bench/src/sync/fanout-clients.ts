// The client side of one fan-out configuration, in its own process: it starts the server in
// another process (server-child.js), connects one writer and N receivers to it, then measures.
// Every client lives in this process, so one clock (performance.now) times a write and its
// arrival at every receiver. Started by fanout.ts with { type: 'run', config }; answers
// { type: 'result', result } (or { type: 'error', message }).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { percentile } from '../lib/stats.js';
import { Child, toParent } from './child.js';
import { nextTurn, sleep, within } from './common.js';
import type { FanoutPeers, PeerOptions } from './peers.js';

export type System = 'weft' | 'yjs';

export interface FanoutConfig {
  readonly system: System;
  readonly receivers: number;
  readonly pool: number;
  readonly payloadBytes: number;
  /** Writes per latency repetition, one at a time, at least `intervalMs` apart. */
  readonly latencyWrites: number;
  readonly intervalMs: number;
  /** Writes per throughput repetition, as fast as the writer can make them. */
  readonly throughputWrites: number;
  readonly warmupWrites: number;
  readonly reps: number;
  readonly connectConcurrency: number;
  /** The Weft server's data directory. */
  readonly dataDir: string;
  /** Node flags for the server process and for this one (e.g. --cpu-prof). */
  readonly serverExecArgv: readonly string[];
  readonly clientsExecArgv: readonly string[];
}

export interface LatencyRep {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Receiver payload bytes per write per receiver. */
  readonly bytesPerDelivery: number;
  readonly messagesPerDelivery: number;
  /** For the slowest write: how long until its first receiver had it. */
  readonly slowestFirstMs: number;
  /** The median over writes of how long until the first receiver had it (the server's part). */
  readonly firstP50: number;
  /** Garbage collection in this (the clients') process during the rep: longest pause, total. */
  readonly clientsGcMaxMs: number;
  readonly clientsGcTotalMs: number;
  /** The longest the event loop was held up during the rep: this process, the server's. */
  readonly clientsLoopDelayMaxMs: number;
  readonly serverLoopDelayMaxMs: number;
}

export interface ThroughputRep {
  /** Changes relayed per second: writes × receivers / (first write -> last receiver has all). */
  readonly relayedPerSecond: number;
  readonly elapsedMs: number;
  /** CPU time of the server process during the burst, and per relayed change. */
  readonly serverCpuMs: number;
  readonly serverCpuUsPerRelayed: number;
  /** Server CPU time / wall time: near 1 means the server was the bottleneck. */
  readonly serverBusy: number;
  /** The same for this (the clients') process. */
  readonly clientsBusy: number;
}

export interface FanoutOutcome {
  readonly system: System;
  readonly receivers: number;
  readonly connectMs: number;
  readonly latency: readonly LatencyRep[];
  readonly throughput: readonly ThroughputRep[];
  readonly serverHeapMiB: number;
  readonly clientsHeapMiB: number;
  readonly errors: readonly string[];
}

/** Which receivers have which writes; when the last receiver got each write. */
class Tracker {
  private readonly sentAt: number[] = [];
  private readonly remaining: number[] = [];
  private readonly doneAt: number[] = [];
  private readonly firstAt: number[] = [];
  private readonly lastSeen: Int32Array;
  private waitingFor = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly receivers: number) {
    this.lastSeen = new Int32Array(receivers);
  }

  wrote(n: number): void {
    this.remaining[n] = this.receivers;
    this.sentAt[n] = performance.now();
  }

  readonly seen = (receiver: number, upTo: number): void => {
    const from = this.lastSeen[receiver]! + 1;
    if (upTo < from) return;
    this.lastSeen[receiver] = upTo;
    const at = performance.now();
    for (let n = from; n <= upTo; n++) {
      const left = (this.remaining[n] ?? 0) - 1;
      this.remaining[n] = left;
      if (left === this.receivers - 1) this.firstAt[n] = at;
      if (left === 0) {
        this.doneAt[n] = at;
        if (n === this.waitingFor) this.wake?.();
      }
    }
  };

  /** Resolves when every receiver has write `n`. */
  until(n: number, ms: number, what: string): Promise<void> {
    if (this.doneAt[n] !== undefined) return Promise.resolve();
    this.waitingFor = n;
    const done = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return within(done, ms, what);
  }

  sent(n: number): number {
    return this.sentAt[n]!;
  }

  /** From write `n` to the first receiver having it. */
  firstLatency(n: number): number {
    return this.firstAt[n]! - this.sentAt[n]!;
  }

  latency(n: number): number {
    return this.doneAt[n]! - this.sentAt[n]!;
  }

  done(n: number): number {
    return this.doneAt[n]!;
  }
}

/** GC pauses in this process since the last `take`. */
class GcWatch {
  private max = 0;
  private total = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.max = Math.max(this.max, entry.duration);
      this.total += entry.duration;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  take(): { maxMs: number; totalMs: number } {
    const out = { maxMs: this.max, totalMs: this.total };
    this.max = 0;
    this.total = 0;
    return out;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

async function run(config: FanoutConfig): Promise<FanoutOutcome> {
  const progress = (text: string) => toParent({ type: 'progress', text });
  const server = Child.start(
    'server-child.js',
    config.system === 'weft' ? ['weft', config.dataDir] : ['yjs'],
    config.serverExecArgv,
  );
  try {
    const { url } = (await server.next('ready', 60_000)) as unknown as { url: string };
    const cpu = async () => {
      const reply = await server.ask({ type: 'cpu' });
      return reply as unknown as {
        cpuMs: number;
        wallMs: number;
        heapMiB: number;
        loopDelayMaxMs: number;
      };
    };
    const tracker = new Tracker(config.receivers);
    const options: PeerOptions = {
      url,
      receivers: config.receivers,
      pool: config.pool,
      payloadBytes: config.payloadBytes,
      seen: tracker.seen,
      connectConcurrency: config.connectConcurrency,
    };
    let t0 = performance.now();
    const peers: FanoutPeers =
      config.system === 'weft'
        ? await (await import('./weft-peer.js')).connectWeftPeers(options)
        : await (await import('./yjs-peer.js')).connectYjsPeers(options);
    const connectMs = performance.now() - t0;
    progress(
      `${config.receivers} receivers connected and synced in ${(connectMs / 1000).toFixed(1)} s`,
    );

    let n = 0;
    // One write at a time: each waits until the one before has reached every receiver, and
    // until `intervalMs` after it was made; so a latency never includes a queue of earlier
    // writes (that is the throughput run's business).
    const paced = async (writes: number): Promise<number[]> => {
      const first = n + 1;
      for (let k = 0; k < writes; k++) {
        if (k > 0) {
          await tracker.until(n, 180_000, `${config.system}: every receiver getting write ${n}`);
          const wait = tracker.sent(n) + config.intervalMs - performance.now();
          if (wait >= 1) await sleep(wait);
        }
        n += 1;
        tracker.wrote(n);
        peers.write(n);
      }
      await tracker.until(n, 180_000, `${config.system}: every receiver getting write ${n}`);
      return Array.from({ length: writes }, (_, k) => tracker.latency(first + k));
    };

    await paced(config.warmupWrites);
    const gc = new GcWatch();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const latency: LatencyRep[] = [];
    const throughput: ThroughputRep[] = [];
    for (let rep = 0; rep < config.reps; rep++) {
      const before = peers.received();
      gc.take();
      loop.reset();
      await cpu(); // resets the server's event-loop delay too
      const samples = await paced(config.latencyWrites);
      const slowest = samples.indexOf(Math.max(...samples));
      const slowestFirstMs = tracker.firstLatency(n - config.latencyWrites + 1 + slowest);
      const firsts = samples.map((_, k) => tracker.firstLatency(n - config.latencyWrites + 1 + k));
      const gcDuring = gc.take();
      const clientsLoopDelayMaxMs = loop.max / 1e6;
      const serverLoopDelayMaxMs = (await cpu()).loopDelayMaxMs;
      const after = peers.received();
      const deliveries = config.latencyWrites * config.receivers;
      latency.push({
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        max: Math.max(...samples),
        bytesPerDelivery: (after.bytes - before.bytes) / deliveries,
        messagesPerDelivery: (after.messages - before.messages) / deliveries,
        slowestFirstMs,
        firstP50: percentile(firsts, 50),
        clientsGcMaxMs: gcDuring.maxMs,
        clientsGcTotalMs: gcDuring.totalMs,
        clientsLoopDelayMaxMs,
        serverLoopDelayMaxMs,
      });
      await sleep(200);

      const cpu0 = await cpu();
      const clients0 = process.cpuUsage();
      t0 = performance.now();
      for (let k = 0; k < config.throughputWrites; k++) {
        n += 1;
        tracker.wrote(n);
        peers.write(n);
        await nextTurn();
      }
      await tracker.until(n, 300_000, `${config.system}: every receiver getting write ${n}`);
      const elapsedMs = tracker.done(n) - t0;
      const clientsCpu = process.cpuUsage(clients0);
      const cpu1 = await cpu();
      const relayed = config.throughputWrites * config.receivers;
      const serverCpuMs = cpu1.cpuMs - cpu0.cpuMs;
      throughput.push({
        relayedPerSecond: relayed / (elapsedMs / 1000),
        elapsedMs,
        serverCpuMs,
        serverCpuUsPerRelayed: (serverCpuMs * 1000) / relayed,
        serverBusy: serverCpuMs / (cpu1.wallMs - cpu0.wallMs),
        clientsBusy: (clientsCpu.user + clientsCpu.system) / 1000 / (performance.now() - t0),
      });
      const l = latency.at(-1)!;
      const t = throughput.at(-1)!;
      progress(
        `rep ${rep + 1}/${config.reps}: p50 ${l.p50.toFixed(2)} ms (first receiver ${l.firstP50.toFixed(2)} ms), p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(0)} ms (its first receiver: ${l.slowestFirstMs.toFixed(0)} ms; clients' longest GC pause ${l.clientsGcMaxMs.toFixed(0)} ms; longest event-loop delay: clients ${l.clientsLoopDelayMaxMs.toFixed(0)} ms, server ${l.serverLoopDelayMaxMs.toFixed(0)} ms); ` +
          `${Math.round(t.relayedPerSecond)} relayed/s (server busy ${(100 * t.serverBusy).toFixed(0)}%, clients ${(100 * t.clientsBusy).toFixed(0)}%)`,
      );
      await sleep(200);
    }
    gc.stop();
    loop.disable();
    const serverHeapMiB = (await cpu()).heapMiB;
    const clientsHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    const errors = [...peers.errors()];
    await peers.close();
    return {
      system: config.system,
      receivers: config.receivers,
      connectMs,
      latency,
      throughput,
      serverHeapMiB,
      clientsHeapMiB,
      errors,
    };
  } finally {
    await server.stop();
  }
}

process.setMaxListeners(0); // y-websocket adds an 'exit' listener per provider

process.once('message', (message: { type: string; config: FanoutConfig }) => {
  if (message.type !== 'run') return;
  run(message.config).then(
    (result) => {
      toParent({ type: 'result', result }, () => process.exit(0));
    },
    (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      toParent({ type: 'error', message: text }, () => process.exit(1));
    },
  );
});
