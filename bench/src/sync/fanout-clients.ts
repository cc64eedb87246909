// The client side of one fan-out configuration, in its own process: it starts the server in
// another process (server-child.js), connects one writer and N receivers to it, then measures.
// Every client lives in this process, so one clock (performance.now) times a write and its
// arrival at every receiver. Driven by fanout.ts (FanoutRunner): set up, measured a
// repetition at a time, finished.
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

/**
 * One configuration's processes and clients, measured a step at a time (a write, a burst), so
 * that the parent can interleave the systems it compares: a machine whose speed drifts, or
 * that stalls for a moment, then slows both alike, rather than whichever ran then.
 */
class FanoutRun {
  private n = 0;
  /** The writes of the latency repetition in progress, and what had been received before it. */
  private measured: number[] = [];
  private before = { bytes: 0, messages: 0 };
  private readonly latency: LatencyRep[] = [];
  private readonly throughput: ThroughputRep[] = [];
  private readonly gc = new GcWatch();
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });

  private constructor(
    private readonly config: FanoutConfig,
    private readonly server: Child,
    private readonly tracker: Tracker,
    private readonly peers: FanoutPeers,
    readonly connectMs: number,
  ) {
    this.loop.enable();
  }

  static async start(config: FanoutConfig): Promise<FanoutRun> {
    const server = Child.start(
      'server-child.js',
      config.system === 'weft' ? ['weft', config.dataDir] : ['yjs'],
      config.serverExecArgv,
    );
    try {
      const { url } = (await server.next('ready', 60_000)) as unknown as { url: string };
      const tracker = new Tracker(config.receivers);
      const options: PeerOptions = {
        url,
        receivers: config.receivers,
        pool: config.pool,
        payloadBytes: config.payloadBytes,
        seen: tracker.seen,
        connectConcurrency: config.connectConcurrency,
      };
      const t0 = performance.now();
      const peers: FanoutPeers =
        config.system === 'weft'
          ? await (await import('./weft-peer.js')).connectWeftPeers(options)
          : await (await import('./yjs-peer.js')).connectYjsPeers(options);
      return new FanoutRun(config, server, tracker, peers, performance.now() - t0);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  private async serverCpu() {
    const reply = await this.server.ask({ type: 'cpu' });
    return reply as unknown as {
      cpuMs: number;
      wallMs: number;
      heapMiB: number;
      loopDelayMaxMs: number;
    };
  }

  /**
   * Starts a latency repetition: unmeasured warm-up writes (the other system ran since this one
   * last wrote), then the counters are reset. The measured writes are `write` calls.
   */
  async startLatency(): Promise<void> {
    for (let k = 0; k < this.config.warmupWrites; k++) await this.write();
    this.measured = [];
    this.before = this.peers.received();
    this.gc.take();
    this.loop.reset();
    await this.serverCpu(); // resets the server's event-loop delay too
  }

  /**
   * One write, at least `intervalMs` after this system's previous one; resolves once every
   * receiver has it (so a latency never includes a queue of earlier writes: that is the
   * throughput run's business). The parent times the measured writes of the systems it
   * compares, one after another in turn, so that a slow spell of the machine falls on both.
   */
  async write(): Promise<void> {
    const { config, tracker, peers } = this;
    if (this.n > 0) {
      const wait = tracker.sent(this.n) + config.intervalMs - performance.now();
      if (wait >= 1) await sleep(wait);
    }
    this.n += 1;
    tracker.wrote(this.n);
    peers.write(this.n);
    await tracker.until(
      this.n,
      180_000,
      `${config.system}: every receiver getting write ${this.n}`,
    );
    this.measured.push(this.n);
  }

  /** Ends a latency repetition: what its writes measured. */
  async endLatency(): Promise<LatencyRep> {
    const { config, tracker, peers, gc, loop, measured } = this;
    const samples = measured.map((n) => tracker.latency(n));
    const firsts = measured.map((n) => tracker.firstLatency(n));
    const slowest = samples.indexOf(Math.max(...samples));
    const gcDuring = gc.take();
    const clientsLoopDelayMaxMs = loop.max / 1e6;
    const serverLoopDelayMaxMs = (await this.serverCpu()).loopDelayMaxMs;
    const after = peers.received();
    const deliveries = measured.length * config.receivers;
    const latency: LatencyRep = {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: Math.max(...samples),
      bytesPerDelivery: (after.bytes - this.before.bytes) / deliveries,
      messagesPerDelivery: (after.messages - this.before.messages) / deliveries,
      slowestFirstMs: firsts[slowest]!,
      firstP50: percentile(firsts, 50),
      clientsGcMaxMs: gcDuring.maxMs,
      clientsGcTotalMs: gcDuring.totalMs,
      clientsLoopDelayMaxMs,
      serverLoopDelayMaxMs,
    };
    this.latency.push(latency);
    return latency;
  }

  /** A throughput repetition: the writer writes as fast as it can. */
  async throughputBurst(): Promise<ThroughputRep> {
    const { config, tracker, peers } = this;
    await sleep(200);
    const cpu0 = await this.serverCpu();
    const clients0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < config.throughputWrites; k++) {
      this.n += 1;
      tracker.wrote(this.n);
      peers.write(this.n);
      await nextTurn();
    }
    await tracker.until(
      this.n,
      300_000,
      `${config.system}: every receiver getting write ${this.n}`,
    );
    const elapsedMs = tracker.done(this.n) - t0;
    const clientsCpu = process.cpuUsage(clients0);
    const cpu1 = await this.serverCpu();
    const relayed = config.throughputWrites * config.receivers;
    const serverCpuMs = cpu1.cpuMs - cpu0.cpuMs;
    const throughput: ThroughputRep = {
      relayedPerSecond: relayed / (elapsedMs / 1000),
      elapsedMs,
      serverCpuMs,
      serverCpuUsPerRelayed: (serverCpuMs * 1000) / relayed,
      serverBusy: serverCpuMs / (cpu1.wallMs - cpu0.wallMs),
      clientsBusy: (clientsCpu.user + clientsCpu.system) / 1000 / (performance.now() - t0),
    };
    this.throughput.push(throughput);
    await sleep(200);
    return throughput;
  }

  async finish(): Promise<FanoutOutcome> {
    this.gc.stop();
    this.loop.disable();
    try {
      const serverHeapMiB = (await this.serverCpu()).heapMiB;
      const clientsHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
      const errors = [...this.peers.errors()];
      await this.peers.close();
      return {
        system: this.config.system,
        receivers: this.config.receivers,
        connectMs: this.connectMs,
        latency: this.latency,
        throughput: this.throughput,
        serverHeapMiB,
        clientsHeapMiB,
        errors,
      };
    } finally {
      await this.server.stop();
    }
  }
}

process.setMaxListeners(0); // y-websocket adds an 'exit' listener per provider

// Asked by the parent (fanout.ts): 'setup'; per repetition 'startLatency', 'write' for each
// measured write, 'endLatency' and 'throughput'; then 'finish'. Each is answered with the same
// id ({ error } if it failed).
let current: FanoutRun | undefined;
process.on('message', (message: { type: string; id?: number; config?: FanoutConfig }) => {
  const answer = (reply: Record<string, unknown>) =>
    toParent({ type: message.type, id: message.id, ...reply });
  const failed = (error: unknown) =>
    answer({ error: error instanceof Error ? error.message : String(error) });
  switch (message.type) {
    case 'setup':
      FanoutRun.start(message.config!).then((run) => {
        current = run;
        answer({ connectMs: run.connectMs });
      }, failed);
      return;
    case 'startLatency':
      current!.startLatency().then(() => answer({}), failed);
      return;
    case 'write':
      current!.write().then(() => answer({}), failed);
      return;
    case 'endLatency':
      current!.endLatency().then((latency) => answer({ latency }), failed);
      return;
    case 'throughput':
      current!.throughputBurst().then((throughput) => answer({ throughput }), failed);
      return;
    case 'finish':
      current!.finish().then((result) => answer({ result }), failed);
      return;
    case 'stop':
      process.exit(0);
  }
});
