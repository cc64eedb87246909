import type { LinkFaults } from './network.js';
import type { Prng } from './prng.js';

/** How replicas are linked: every pair, a hub and spokes, or a ring (changes hop along). */
export type Topology = 'mesh' | 'star' | 'ring';

/** Faults: the network's (per message) and the replicas' (chances per simulation step). */
export interface SimFaults extends LinkFaults {
  /** A replica's process crashes: writes not yet durable are lost. */
  readonly crash: number;
  /** A replica shuts down cleanly (leaving a snapshot) and restarts. */
  readonly shutdown: number;
  /** A crashed replica restarts from its disk. */
  readonly restart: number;
  /** The replicas split in two groups that cannot reach each other. */
  readonly partition: number;
  /** A partition heals. */
  readonly heal: number;
  /** A closed link reconnects (a fresh session and hello). */
  readonly reconnect: number;
  /**
   * Runs are fed straight into another replica's `space.receive`, shuffled, duplicated and
   * with some missing (as gossip or a relay might): the change log must park runs whose deps
   * are missing and ignore duplicates.
   */
  readonly feed: number;
  /** A replica's wall clock jumps (backwards too): stamps must stay causal. */
  readonly clockJump: number;
}

export const NO_FAULTS: SimFaults = {
  drop: 0,
  disconnect: 0,
  duplicate: 0,
  reorder: 0,
  delay: 0,
  maxDelay: 0,
  detect: 1,
  crash: 0,
  shutdown: 0,
  restart: 1,
  partition: 0,
  heal: 1,
  reconnect: 1,
  feed: 0,
  clockJump: 0,
};

const NORMAL: SimFaults = {
  drop: 0.02,
  disconnect: 0.01,
  duplicate: 0.03,
  reorder: 0.03,
  delay: 0.25,
  maxDelay: 8,
  detect: 12,
  crash: 0.003,
  shutdown: 0.0015,
  restart: 0.08,
  partition: 0.008,
  heal: 0.03,
  reconnect: 0.25,
  feed: 0.01,
  clockJump: 0.006,
};

/** Fault rates for a run: calm, normal or stormy, as the seed decides. */
export function faultsForSeed(rng: Prng): SimFaults {
  const scale = rng.pick([0.3, 1, 1, 2.5]);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(NORMAL)) {
    out[k] = k === 'maxDelay' || k === 'detect' ? v : Math.min(0.5, v * scale);
  }
  out.restart = NORMAL.restart;
  out.reconnect = NORMAL.reconnect;
  out.heal = NORMAL.heal;
  return out as unknown as SimFaults;
}

export function replicasForSeed(rng: Prng): number {
  return 2 + rng.weighted([8, 6, 4, 2, 1, 1, 1]);
}

/** Mostly meshes for a few replicas; for many, mostly stars and rings (as real deployments). */
export function topologyForSeed(rng: Prng, replicas: number): Topology {
  if (replicas < 4) return rng.pick<Topology>(['mesh', 'mesh', 'star']);
  if (replicas < 6) return rng.pick<Topology>(['mesh', 'star', 'star', 'ring']);
  return rng.pick<Topology>(['mesh', 'star', 'star', 'star', 'ring']);
}

/** The links of a topology, as pairs of replica indexes. */
export function linksOf(topology: Topology, n: number): [number, number][] {
  const out: [number, number][] = [];
  if (topology === 'star') for (let i = 1; i < n; i++) out.push([0, i]);
  else if (topology === 'ring') for (let i = 0; i < n; i++) out.push([i, (i + 1) % n]);
  else for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
  return out;
}
