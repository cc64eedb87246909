import { type VersionVector, vvEquals } from '../clocks/version-vector.js';
import type { Collection } from '../database/collection.js';
import type { Space } from '../database/space.js';
import type { PlainObject } from '../document/plain.js';
import type { Doc } from '../document/read.js';
import { HistoryUnavailableError, WeftError } from '../errors.js';
import type { Run } from '../log/run.js';
import { describeDifference, docsEqual } from './compare.js';
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
import { type MessageInfo, type NetworkStats, SimNetwork } from './network.js';
import { describeOp, type SimOp, targetsOf, writesOf } from './ops.js';
import { Oracle, Refusal } from './oracle.js';
import { Prng } from './prng.js';
import { SimReplica } from './replica.js';
import { defaultWorkload, type Workload } from './workload.js';

/**
 * The deterministic simulator. `simulate({ seed })` runs 2–8 replicas of one space, each a
 * database on a simulated disk, syncing through `SyncSession`s over a simulated network,
 * while a workload performs random operations on random replicas and faults strike:
 *
 * - the network (network.ts) drops, duplicates, reorders and delays messages. Sessions
 *   assume an ordered reliable transport (TCP, WebSocket), so these show as they would there:
 *   a drop kills the link until a heartbeat would notice, a duplicate or a reordering breaks
 *   the stream, a reset closes it at once; in-flight messages are lost; closed links reconnect
 *   later with fresh sessions (a new hello); partitions split the replicas until they heal;
 * - runs are also fed straight into `space.receive`, shuffled, duplicated and with gaps (as
 *   gossip or relays deliver them): the change log must park runs until their deps arrive
 *   and ignore duplicates;
 * - replicas crash (the process is dropped without closing: what was not yet durable is lost,
 *   and its in-flight messages may or may not arrive) and restart from their disk, or shut
 *   down cleanly (leaving a snapshot) and restart; wall clocks are skewed and jump.
 *
 * Everything comes from one seeded PRNG and a virtual clock, and the run is a chain of
 * microtasks (no timers, no I/O), so a seed replays exactly.
 *
 * The oracle (oracle.ts) records each change a replica makes (its writes, HLC stamp and causal
 * past: the replica's version vector just before) and computes from the documented merge rules
 * what each document must read as at any version vector. A change lost in a crash (never made
 * durable, so it never left its replica: sessions send only durable runs) is removed from the
 * oracle once the replica restarts and shows what its disk kept; a lost change that was
 * acknowledged, or that another replica holds, is a failure.
 *
 * Checks: before and after every operation, the documents it touches read as the oracle says
 * at the replica's version vector (and refusals and no-op writes agree); after a restart, the
 * whole replica does; at the end, with faults off, partitions healed and every replica up,
 * sync runs until quiet and all replicas must have equal version vectors, heads and documents,
 * equal to the oracle's, and the same again after reopening each from its disk.
 */
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

const EPOCH = 1_700_000_000_000;

/** Runs one simulation; resolves to its report or rejects with a SimulationError. */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const sim = new Simulation(options);
  try {
    return await sim.run();
  } catch (error) {
    throw sim.failure(error);
  }
}

class Failure extends Error {}

async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await undefined;
}

class Simulation {
  private readonly rng: Prng;
  private readonly net: SimNetwork;
  private readonly oracle: Oracle;
  private readonly workload: Workload;
  private readonly replicas: SimReplica[] = [];
  private readonly links: [number, number][];
  private readonly topology: Topology;
  private readonly faults: SimFaults;
  private readonly opsWanted: number;
  private readonly trace: { step: number; line: string | (() => string) }[] = [];
  private readonly traceLength: number;
  private readonly problems: string[] = [];
  private readonly collections: string[];
  private time = EPOCH;
  private readonly skew: number[] = [];
  private step = 0;
  private ops = 0;
  private changes = 0;
  private refused = 0;
  private unchanged = 0;
  private readonly counts = {
    crashes: 0,
    restarts: 0,
    shutdowns: 0,
    lostChanges: 0,
    partitions: 0,
    heals: 0,
    feeds: 0,
    clockJumps: 0,
  };

  constructor(private readonly options: SimulationOptions) {
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

  async run(): Promise<SimulationReport> {
    this.note(
      `${this.replicas.length} replicas (${this.replicas.map((r) => r.actor).join(', ')}), ${this.topology}`,
    );
    for (const r of this.replicas) await this.fastDisk(r, () => r.open());
    for (const [a, b] of this.links) this.connect(a, b);
    while (this.ops < this.opsWanted) {
      await this.takeStep();
      this.checkProblems();
    }
    await this.settle();
    await this.finalChecks();
    return this.report();
  }

  // ---- the steps ----------------------------------------------------------------------------

  private async takeStep(): Promise<void> {
    const rng = this.rng;
    const f = this.faults;
    this.step += 1;
    this.time += rng.int(4);
    this.net.tick();
    for (const r of this.replicas) {
      if (!r.up && rng.chance(f.restart)) await this.restart(r);
    }
    for (const [a, b] of this.links) {
      if (!this.linked(a, b) && rng.chance(f.reconnect)) this.connect(a, b);
    }
    // Steps: an operation, some deliveries, some microtasks (work in flight moves on), a fault.
    const faultWeight = 30 * (f.crash + f.shutdown + f.partition + f.feed + f.clockJump);
    switch (rng.weighted([10, 7, 2, faultWeight])) {
      case 0:
        await this.operate();
        break;
      case 1: {
        const n = 1 + rng.int(6);
        for (let i = 0; i < n; i++) {
          if (!this.net.deliverOne()) break;
          await microtasks(rng.int(3));
        }
        break;
      }
      case 2:
        await microtasks(rng.int(40));
        break;
      default:
        await this.fault();
    }
    for (const r of this.replicas) {
      if (r.up && r.disk.pending > 0 && rng.chance(0.4)) r.disk.sync(1 + rng.int(3));
    }
    await microtasks(rng.int(4));
    if (rng.chance(0.005)) {
      const up = this.replicas.filter((r) => r.up);
      if (up.length > 0) this.checkReplica(rng.pick(up), 'spot check');
    }
    await this.options.hooks?.afterStep?.(this.world());
  }

  private async fault(): Promise<void> {
    const rng = this.rng;
    const f = this.faults;
    const up = this.replicas.filter((r) => r.up);
    const kind = rng.weighted([
      f.crash,
      f.shutdown,
      this.net.partitioned ? f.heal * 0.3 : f.partition,
      f.feed,
      f.clockJump,
    ]);
    if (kind === 0 && up.length > 0) {
      this.crash(rng.pick(up));
    } else if (kind === 1 && up.length > 0) {
      const r = rng.pick(up);
      this.note(`shutdown ${r.actor}`);
      this.counts.shutdowns += 1;
      const before = r.p.space.versionVector();
      await this.fastDisk(r, () => r.shutdown());
      await this.restart(r, before);
    } else if (kind === 2) {
      if (this.net.partitioned) this.healPartition();
      else {
        const sides = this.replicas.map(() => rng.int(2));
        if (sides.every((s) => s === sides[0])) sides[0] = 1 - sides[0]!;
        this.note(`partition ${sides.join('')}`);
        this.counts.partitions += 1;
        this.net.partition(sides);
      }
    } else if (kind === 3 && up.length >= 2) {
      await this.feed(rng.pick(up), rng.pick(up));
    } else if (kind === 4) {
      const r = rng.pick(this.replicas);
      this.skew[r.index] = this.skew[r.index]! + rng.between(-5_000, 5_000);
      this.note(`clock of ${r.actor} now off by ${this.skew[r.index]} ms`);
      this.counts.clockJumps += 1;
    }
  }

  private crash(r: SimReplica, when = ''): void {
    this.note(`crash ${r.actor}${when}`);
    this.counts.crashes += 1;
    this.net.crash(r.index);
    r.crash();
  }

  private healPartition(): void {
    this.note('heal');
    this.counts.heals += 1;
    this.net.heal();
  }

  /** Runs from one replica fed straight into another's space, out of order, with gaps. */
  private async feed(from: SimReplica, to: SimReplica): Promise<void> {
    if (from === to) return;
    const source = from.p.space;
    await this.fastDisk(from, () => source.flush()); // sent only once durable, as sessions do
    if (!from.up || !to.up || from.p.space !== source) return;
    const base = new Map(to.p.space.versionVector());
    for (const [actor, seq] of base) if (this.rng.chance(0.3)) base.set(actor, this.rng.int(seq));
    let runs: Run[];
    try {
      runs = await source.changesSinceStored(base);
    } catch (error) {
      if (error instanceof HistoryUnavailableError) return; // it started from a snapshot
      throw error;
    }
    if (!from.up || !to.up || from.p.space !== source) return;
    if (runs.length > 16) {
      const start = this.rng.int(runs.length - 15);
      runs = runs.slice(start, start + 16);
    }
    runs = runs.filter(() => this.rng.chance(0.8));
    for (const run of [...runs]) if (this.rng.chance(0.2)) runs.push(run);
    this.rng.shuffle(runs);
    this.note(`feed ${runs.length} runs from ${from.actor} to ${to.actor}`);
    this.counts.feeds += 1;
    const target = to.p.space;
    target.receive(runs).catch((error: unknown) => {
      if (to.process?.space === target)
        this.problem(`${to.actor} refused runs fed from ${from.actor}: ${message(error)}`);
    });
  }

  private linked(a: number, b: number): boolean {
    for (const c of this.net.open()) {
      if (c.state === 'draining') continue;
      const [x, y] = c.nodes;
      if ((x === a && y === b) || (x === b && y === a)) return true;
    }
    return false;
  }

  private connect(a: number, b: number): void {
    const ra = this.replicas[a]!;
    const rb = this.replicas[b]!;
    if (!ra.up || !rb.up || !this.net.reachable(a, b)) return;
    const c = this.net.connect(a, b);
    const onClose = (who: SimReplica) => (reason: string) => this.closed(who, reason);
    // In a star the hub keeps full history and a spoke that is empty may start from its
    // snapshot; elsewhere peers serve each other history, so nobody starts from a snapshot.
    const star = this.topology === 'star';
    ra.startSession(c, 0, star && a !== 0, onClose(ra));
    rb.startSession(c, 1, star && b !== 0, onClose(rb));
  }

  /** A session ended: the simulator's faults end them with a reason starting `sim: `. */
  private closed(who: SimReplica, reason: string): void {
    if (!reason.startsWith('sim: ')) {
      this.problem(`a sync session of ${who.actor} closed with an error: ${reason}`);
    }
  }

  /** Runs `body` with the replica's disk syncing at once (for what must wait for it). */
  private async fastDisk<T>(r: SimReplica, body: () => Promise<T>): Promise<T> {
    const slow = r.disk.slow;
    r.disk.slow = false;
    r.disk.sync();
    try {
      return await body();
    } finally {
      r.disk.slow = slow;
    }
  }

  private async restart(r: SimReplica, before?: VersionVector): Promise<void> {
    const p = await this.fastDisk(r, () => r.open());
    this.counts.restarts += 1;
    const vector = p.space.versionVector();
    const kept = vector.get(r.actor) ?? 0;
    this.note(`restart ${r.actor} (${kept} own changes on disk)`);
    if (before && !vvEquals(before, vector)) {
      this.fail(
        `${r.actor} shut down cleanly with ${show(before)} but reopened with ${show(vector)}`,
      );
    }
    if (kept < r.acked) {
      this.fail(
        `${r.actor} lost change ${kept + 1} (of up to ${r.acked}) in a crash, after it was acknowledged as durable`,
      );
    }
    const lost = this.oracle.forget(r.actor, kept);
    this.counts.lostChanges += lost.length;
    for (const other of this.replicas) {
      if (!other.up) continue;
      const has = other.p.space.versionVector().get(r.actor) ?? 0;
      if (has > kept) {
        this.fail(
          `${other.actor} holds ${r.actor}'s change ${has}, which ${r.actor} lost in a crash: a change left its replica before it was durable`,
        );
      }
    }
    const history = this.oracle.vector();
    for (const [actor, seq] of vector) {
      const known = history.get(actor) ?? 0;
      if (seq > known) {
        this.fail(`${r.actor} reopened with ${actor}'s change ${seq}, which history does not hold`);
      }
    }
    this.checkReplica(r, 'after restart');
  }

  // ---- operations ---------------------------------------------------------------------------

  private async operate(): Promise<void> {
    const up = this.replicas.filter((r) => r.up);
    if (up.length === 0) return;
    const r = this.rng.pick(up);
    const p = r.p;
    const listed = new Map<string, string[]>();
    const op = this.workload.nextOp({
      rng: this.rng,
      replica: r.index,
      get: (collection, id) => r.collection(collection).get(id) as Doc | undefined,
      ids: (collection) => {
        let ids = listed.get(collection);
        if (!ids) {
          ids = r
            .collection(collection)
            .find()
            .map((d) => d.id)
            .sort();
          listed.set(collection, ids);
        }
        return [...ids];
      },
    });
    this.ops += 1;
    const targets = writesOf(op).flatMap(targetsOf);
    const past = p.space.versionVector();
    const seq = (past.get(r.actor) ?? 0) + 1;
    this.note(() => `${r.actor}#${seq}? ${describeOp(op)}`);

    const known = this.oracle.count(r.actor);
    if (seq !== known + 1) {
      this.fail(
        `${r.actor} has ${seq - 1} changes of its own, but history holds ${known}: a write the simulator did not make`,
      );
    }
    const pending = this.oracle.begin(r.actor, past);
    let refusal: Refusal | undefined;
    try {
      for (const w of writesOf(op)) this.oracle.apply(pending, w);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refusal = error;
      this.oracle.abort(pending);
    }

    p.lastStamp = undefined;
    const result = this.perform(r, op);
    const after = p.space.versionVector();
    const made = (after.get(r.actor) ?? 0) - (past.get(r.actor) ?? 0);
    if (made !== 0 && made !== 1) this.fail(`one operation made ${made} changes`);

    if (refusal) {
      this.refused += 1;
      if (made === 1) {
        this.fail(
          `${r.actor} made a change for ${describeOp(op)}, which must be refused: ${refusal.message}`,
        );
      }
      const code = refusal.code;
      result.then(
        () =>
          this.problem(`${r.actor} accepted ${describeOp(op)}, which must be refused (${code})`),
        (error: unknown) => {
          if (!(error instanceof WeftError) || error.code !== code) {
            this.problem(
              `${r.actor} refused ${describeOp(op)} with ${message(error)}, expected ${code}`,
            );
          }
        },
      );
      return;
    }
    if (made === 0) {
      if (pending.next > 0) {
        const outcome = await result.then(
          () => 'it succeeded',
          (error: unknown) => message(error),
        );
        this.fail(
          `${r.actor} made no change for ${describeOp(op)} (${outcome}); the oracle expected one`,
        );
      }
      this.unchanged += 1;
    } else {
      if (pending.next === 0) {
        this.fail(`${r.actor} made a change for ${describeOp(op)}, which changes nothing`);
      }
      if (!p.lastStamp) throw new Error('Weft simulator: no stamp seen for a change');
      try {
        this.oracle.commit(pending, p.lastStamp);
      } catch (error) {
        this.fail(message(error));
      }
      this.changes += 1;
    }
    result.then(
      () => {
        if (made === 1 && r.process === p) r.acked = Math.max(r.acked, seq);
      },
      (error: unknown) => {
        if (r.process === p)
          this.problem(`${r.actor}: ${describeOp(op)} failed: ${message(error)}`);
      },
    );
    for (const t of targets) this.checkDoc(r, t.collection, t.id, after, 'after the operation');
    // Now and then the process dies before (or just after) the write is durable.
    if (this.rng.chance(this.faults.crash)) {
      await microtasks(this.rng.int(8));
      if (r.process === p) this.crash(r, ' right after an operation');
    }
  }

  private perform(r: SimReplica, op: SimOp): Promise<unknown> {
    try {
      return r.perform(op);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // ---- the end ------------------------------------------------------------------------------

  /** Faults off, partitions healed, everyone up and linked: sync until nothing moves. */
  private async settle(): Promise<void> {
    this.note('settle: faults off, heal, restart, sync');
    this.net.faults = NO_FAULTS;
    for (const r of this.replicas) {
      r.disk.slow = false;
      r.disk.sync();
    }
    if (this.net.partitioned) this.healPartition();
    for (const c of [...this.net.open()])
      if (c.state === 'dead') this.net.close(c, 'sim: dead link noticed');
    for (const r of this.replicas) if (!r.up) await this.restart(r);
    let quiet = 0;
    let lastProgress = -1;
    for (let round = 0; quiet < 3; round++) {
      this.net.tick(1_000);
      for (const [a, b] of this.links) if (!this.linked(a, b)) this.connect(a, b);
      while (this.net.deliverOne(true)) await microtasks(this.rng.int(3));
      await Promise.all(
        this.replicas.flatMap((r) => [...r.sessions.values()].map((s) => s.idle())),
      );
      await Promise.all(this.replicas.map((r) => r.p.space.flush()));
      await microtasks(5);
      this.checkProblems();
      const vectors = this.replicas.map((r) => r.p.space.versionVector());
      const progress = vectors.reduce((n, v) => n + [...v.values()].reduce((x, y) => x + y, 0), 0);
      const agreed = vectors.every((v) => vvEquals(v, vectors[0]!));
      if (this.net.inFlight === 0 && agreed) quiet += 1;
      else quiet = 0;
      if (progress !== lastProgress) {
        lastProgress = progress;
        round = 0;
      }
      if (round > 50) {
        const detail = this.replicas.map((r, i) => `${r.actor}: ${show(vectors[i]!)}`).join('; ');
        this.fail(`the replicas stopped syncing before they agreed: ${detail}`);
      }
    }
  }

  private async finalChecks(): Promise<void> {
    const first = this.replicas[0]!;
    const vector = first.p.space.versionVector();
    const heads = first.p.space.heads();
    const history = this.oracle.vector();
    if (!vvEquals(vector, history)) {
      this.fail(`after sync the replicas have ${show(vector)}, but history is ${show(history)}`);
    }
    for (const r of this.replicas) {
      const v = r.p.space.versionVector();
      if (!vvEquals(v, vector))
        this.fail(`${r.actor} has ${show(v)}, ${first.actor} ${show(vector)}`);
      const h = r.p.space.heads();
      if (h.join() !== heads.join()) {
        this.fail(`${r.actor} has heads ${h.join(', ')}, ${first.actor} ${heads.join(', ')}`);
      }
      this.checkReplica(r, 'at the end');
    }
    this.checkQueries(this.rng.pick(this.replicas));
    // A replica again from its disk alone (cleanly closed or crashed: all is durable now).
    for (const r of [this.rng.pick(this.replicas)]) {
      if (this.rng.chance(0.5)) {
        await r.shutdown();
      } else {
        await r.p.space.flush();
        this.net.crash(r.index);
        r.crash();
      }
      await this.restart(r, vector);
      if (r.p.space.heads().join() !== heads.join()) {
        this.fail(`${r.actor} reopened with other heads than it had`);
      }
    }
  }

  private report(): SimulationReport {
    let documents = 0;
    const vector = this.oracle.vector();
    for (const c of this.collections) {
      for (const id of this.oracle.ids(c)) if (this.oracle.doc(c, id, vector)) documents += 1;
    }
    return {
      seed: this.options.seed,
      replicas: this.replicas.length,
      topology: this.topology,
      steps: this.step,
      ops: this.ops,
      changes: this.oracle.eventCount,
      refused: this.refused,
      unchanged: this.unchanged,
      faults: { ...this.net.stats, ...this.counts },
      documents,
      heads: this.replicas[0]!.p.space.heads(),
    };
  }

  // ---- checks -------------------------------------------------------------------------------

  private checkDoc(
    r: SimReplica,
    collection: string,
    id: string,
    vector: VersionVector,
    when: string,
  ): void {
    const actual = r.collection(collection).get(id) as Doc | undefined;
    const expected = this.oracle.doc(collection, id, vector);
    if (!docsEqual(actual, expected)) {
      this.fail(
        describeDifference(`${when}, ${r.actor} shows ${collection}/${id}`, actual, expected),
      );
    }
  }

  /** Every document of a replica against the oracle at its version vector. */
  private checkReplica(r: SimReplica, when: string): void {
    const vector = r.p.space.versionVector();
    for (const c of this.collections) {
      const shown = r.collection(c).find();
      const ids = new Set([...this.oracle.ids(c), ...shown.map((d) => d.id)]);
      for (const id of ids) this.checkDoc(r, c, id, vector, when);
      const expected = [...ids].filter((id) => this.oracle.doc(c, id, vector)).length;
      if (shown.length !== expected) {
        this.fail(
          `${when}, ${r.actor} lists ${shown.length} documents in ${c}, expected ${expected}`,
        );
      }
    }
  }

  /** Indexed queries agree with a scan of the oracle's documents. */
  private checkQueries(r: SimReplica): void {
    const vector = r.p.space.versionVector();
    for (const [c, options] of Object.entries(this.workload.collections)) {
      const docs = this.oracle
        .ids(c)
        .map((id) => this.oracle.doc(c, id, vector))
        .filter((d) => d !== undefined);
      for (const index of options.indexes ?? []) {
        const path = index[0]!;
        const values = docs.map((d) => valueAt(d, path)).filter((v) => typeof v === 'string');
        for (const value of new Set(values)) {
          const found = r
            .collection(c)
            .find({ where: { [path]: value }, orderBy: 'id' })
            .map((d) => d.id);
          const expected = docs
            .filter((d) => valueAt(d, path) === value)
            .map((d) => d.id as string)
            .sort();
          if (found.join() !== expected.join()) {
            this.fail(
              `${r.actor}: ${c}.find({ ${path}: ${JSON.stringify(value)} }) gives [${found.join(', ')}], expected [${expected.join(', ')}]`,
            );
          }
        }
      }
    }
  }

  // ---- reporting ----------------------------------------------------------------------------

  private world(): SimWorld {
    return {
      step: this.step,
      rng: this.rng,
      replicas: this.replicas.map((r) => ({
        index: r.index,
        actor: r.actor,
        up: r.up,
        space: r.process?.space,
        collection: (name: string) => r.collection(name),
      })),
    };
  }

  /** Keeps a line for the failure report (a function: formatted only if the run fails). */
  private note(line: string | (() => string)): void {
    if (this.traceLength <= 0) return;
    this.trace.push({ step: this.step, line });
    if (this.trace.length > this.traceLength) this.trace.shift();
  }

  /** Something went wrong in a callback: reported after the step. */
  private problem(text: string): void {
    this.problems.push(text);
  }

  private checkProblems(): void {
    if (this.problems.length > 0) this.fail(this.problems.join('\n'));
  }

  private fail(problem: string): never {
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

function valueAt(doc: { readonly [k: string]: unknown }, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function show(vector: VersionVector): string {
  return `{${[...vector]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, n]) => `${a.slice(0, 6)}:${n}`)
    .join(' ')}}`;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
