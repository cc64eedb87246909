// What the sync benchmarks run with (`run.ts` picks one and hands it to every section).

import type { System } from './fanout.js';
import type { ClientStorage } from './initial.js';

export interface SyncBenchConfig {
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
  /**
   * Paced writes per latency repetition: at up to 100 receivers, and above. A p99 needs many
   * samples: of 200 writes it is the second slowest, which one stray pause decides; of 1,000,
   * the tenth.
   */
  readonly latencyWritesSmall: number;
  readonly latencyWritesLarge: number;
  /** Deliveries (writes × receivers) per throughput repetition. */
  readonly throughputDeliveries: number;
  readonly warmupWrites: number;
  /** Receiving a change (section 4): writes per repetition and pace. */
  readonly receiveWrites: number;
  readonly reps: number;
}

export const FULL: SyncBenchConfig = {
  reconnectDocs: 100_000,
  reconnectKs: [10, 100, 1000],
  reconnectSmallDocs: 10_000,
  initialDocs: 100_000,
  initialStorages: ['memory', 'sqlite'],
  receivers: [100, 1000],
  pool: 100,
  payloadBytes: 100,
  pacedDeliveriesPerSecond: 4000,
  latencyWritesSmall: 1000,
  latencyWritesLarge: 100,
  throughputDeliveries: 60_000,
  warmupWrites: 20,
  receiveWrites: 100,
  reps: 5,
};

/** Smaller sizes and fewer repetitions (a smoke test); the same shape of run otherwise. */
export const QUICK: SyncBenchConfig = {
  ...FULL,
  reconnectDocs: 10_000,
  reconnectSmallDocs: 1_000,
  initialDocs: 10_000,
  receivers: [20, 100],
  latencyWritesSmall: 50,
  latencyWritesLarge: 50,
  throughputDeliveries: 10_000,
  warmupWrites: 10,
  receiveWrites: 30,
  reps: 3,
};

/** A run of the sync benchmarks: its sizes, where it keeps data, what it compares. */
export interface SyncBenchRun {
  readonly config: SyncBenchConfig;
  /** Where temporary databases go. */
  readonly root: string;
  /** Where the fan-out's Weft server keeps its data (a tmpfs takes the disk's fsync out). */
  readonly serverRoot: string;
  /** The fan-out's systems (one alone has no ratios). */
  readonly systems: readonly System[];
  /** Node flags that make a child process write a CPU profile named `label` (none by default). */
  readonly profileArgv: (label: string) => string[];
}
