import type { Collection } from '../database/collection.js';
import type { Space } from '../database/space.js';
import type { PlainObject } from '../document/plain.js';
import type { SimFaults, Topology } from './config.js';
import type { MessageInfo, NetworkStats } from './network.js';
import type { Prng } from './prng.js';
import type { Workload } from './workload.js';

// What `simulate()` takes and gives back: its public types, apart from the code that uses
// them, so that every part of the simulator can name them without importing the driver.

export interface SimulationOptions {
  readonly seed: number;
  /** Number of replicas, 2 to 8. Default: chosen by the seed. */
  readonly replicas?: number;
  /** Operations to perform (spread over the replicas). Default 200. */
  readonly ops?: number;
  /** What the replicas do. Default: `defaultWorkload()` (every collection and field type). */
  readonly workload?: Workload;
  /** Default: chosen by the seed. */
  readonly topology?: Topology;
  /** Fault rates; `false` for none. Default: chosen by the seed (calm, normal or stormy). */
  readonly faults?: Partial<SimFaults> | false;
  readonly hooks?: SimHooks;
  /**
   * Whether disks take time to sync (batches land some steps after they are issued, and a
   * crash loses those still waiting). Default: chosen by the seed.
   */
  readonly slowDisks?: boolean;
  /** Steps kept for the failure report. Default 40. */
  readonly traceLength?: number;
}

/** Ways to look into a run (to check an app's own invariants) or, in tests, to break it. */
export interface SimHooks {
  /** After every step. Throwing fails the run (with the seed). */
  afterStep?(world: SimWorld): void | Promise<void>;
  /** Sees every message before delivery; returning false loses it silently. */
  deliver?(message: MessageInfo): boolean;
}

export interface SimWorld {
  readonly step: number;
  readonly rng: Prng;
  readonly replicas: readonly SimReplicaView[];
}

export interface SimReplicaView {
  readonly index: number;
  readonly actor: string;
  readonly up: boolean;
  /** The replica's space (undefined while it is down). */
  readonly space: Space | undefined;
  collection(name: string): Collection<PlainObject>;
}

export interface SimulationReport {
  readonly seed: number;
  readonly replicas: number;
  readonly topology: Topology;
  readonly steps: number;
  /** Operations performed, and what came of them. */
  readonly ops: number;
  readonly changes: number;
  readonly refused: number;
  readonly unchanged: number;
  readonly faults: SimFaultCounts;
  /** Documents that exist at the end, over all collections. */
  readonly documents: number;
  /** The final heads (equal on every replica). */
  readonly heads: readonly string[];
}

export interface SimFaultCounts extends NetworkStats {
  crashes: number;
  restarts: number;
  shutdowns: number;
  /** Changes lost in crashes (never durable, never acknowledged). */
  lostChanges: number;
  partitions: number;
  heals: number;
  feeds: number;
  clockJumps: number;
}
