import type { VersionVector } from '../clocks/version-vector.js';
import {
  faultsForSeed,
  linksOf,
  NO_FAULTS,
  replicasForSeed,
  type SimFaults,
  type Topology,
  topologyForSeed,
} from './config.js';
import { SimulationError } from './errors.js';
import { SimNetwork } from './network.js';
import type { SimCursor } from './ops.js';
import type { SimulationOptions } from './options.js';
import { Oracle } from './oracle.js';
import { Prng } from './prng.js';
import { SimReplica } from './replica.js';
import { defaultWorkload, type Workload } from './workload.js';

// The state of one simulation run, shared by its parts (the driver loop in simulate.ts,
// faults.ts, operate.ts, checks.ts, settle.ts), and the failure report it keeps.

const EPOCH = 1_700_000_000_000;

/** A check failed: `simulate()` turns it into a SimulationError with the trace. */
class Failure extends Error {}

export class SimState {
  readonly rng: Prng;
  readonly net: SimNetwork;
  readonly oracle: Oracle;
  readonly workload: Workload;
  readonly replicas: SimReplica[] = [];
  readonly links: [number, number][];
  readonly topology: Topology;
  readonly faults: SimFaults;
  readonly opsWanted: number;
  readonly collections: string[];
  private readonly trace: { step: number; line: string | (() => string) }[] = [];
  private readonly traceLength: number;
  private readonly problems: string[] = [];
  /** Cursors taken lately (`cursor` ops), checked against the oracle from then on. */
  readonly cursors: SimCursor[] = [];
  /** The virtual clock; each replica reads it off by its skew. */
  time = EPOCH;
  readonly skew: number[] = [];
  step = 0;
  ops = 0;
  changes = 0;
  refused = 0;
  unchanged = 0;
  readonly counts = {
    crashes: 0,
    restarts: 0,
    shutdowns: 0,
    lostChanges: 0,
    partitions: 0,
    heals: 0,
    feeds: 0,
    clockJumps: 0,
  };

  // The order of the draws from the PRNG here is part of what a seed means: keep it.
  constructor(readonly options: SimulationOptions) {
    this.rng = new Prng(options.seed);
    const config = this.rng.fork();
    const n = options.replicas ?? replicasForSeed(config);
    if (!Number.isInteger(n) || n < 2 || n > 8)
      throw new RangeError('a simulation has 2 to 8 replicas');
    this.topology = options.topology ?? topologyForSeed(config, n);
    const seeded = faultsForSeed(config);
    this.faults = options.faults === false ? NO_FAULTS : { ...seeded, ...options.faults };
    this.opsWanted = options.ops ?? 200;
    this.traceLength = options.traceLength ?? 40;
    this.workload = options.workload ?? defaultWorkload();
    this.collections = Object.keys(this.workload.collections).sort();
    this.oracle = new Oracle(this.workload.collections);
    this.net = new SimNetwork(this.rng.fork());
    this.net.faults = this.faults;
    const deliver = options.hooks?.deliver;
    if (deliver) this.net.filter = deliver;
    this.links = linksOf(this.topology, n);
    const slowDisks = options.slowDisks ?? config.chance(0.5);
    const names = new Set<string>();
    for (let i = 0; i < n; i++) {
      let actor = '';
      while (actor === '' || names.has(actor)) actor = hex(config.bytes(8));
      names.add(actor);
      this.skew.push(config.between(-3_000, 3_000));
      const now = () => this.time + this.skew[i]!;
      const replica = new SimReplica(i, actor, 'sim', this.workload.collections, now);
      replica.disk.slow = slowDisks;
      this.replicas.push(replica);
    }
  }

  /** Runs `body` with the replica's disk syncing at once (for what must wait for it). */
  async fastDisk<T>(r: SimReplica, body: () => Promise<T>): Promise<T> {
    const slow = r.disk.slow;
    r.disk.slow = false;
    r.disk.sync();
    try {
      return await body();
    } finally {
      r.disk.slow = slow;
    }
  }

  // ---- the failure report -------------------------------------------------------------------

  /** Keeps a line for the failure report (a function: formatted only if the run fails). */
  note(line: string | (() => string)): void {
    if (this.traceLength <= 0) return;
    this.trace.push({ step: this.step, line });
    if (this.trace.length > this.traceLength) this.trace.shift();
  }

  /**
   * Something went wrong in a callback, where throwing would go unseen: reported after the
   * step (by `checkProblems`).
   */
  problem(text: string): void {
    this.problems.push(text);
  }

  checkProblems(): void {
    if (this.problems.length > 0) this.fail(this.problems.join('\n'));
  }

  fail(problem: string): never {
    throw new Failure(problem);
  }

  failure(error: unknown): SimulationError {
    const problem =
      error instanceof Failure
        ? error.message
        : `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    const trace = this.trace.map(
      (t) => `${t.step}: ${typeof t.line === 'string' ? t.line : t.line()}`,
    );
    return new SimulationError(this.options.seed, this.step, problem, trace);
  }
}

/**
 * Lets work in flight (sessions, storage) move on by `n` microtasks. The run has no timers,
 * so this is how time passes for promises; how many is drawn from the seed.
 */
export async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await undefined;
}

/** A version vector, short, for messages. */
export function show(vector: VersionVector): string {
  return `{${[...vector]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, n]) => `${a.slice(0, 6)}:${n}`)
    .join(' ')}}`;
}

export function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
