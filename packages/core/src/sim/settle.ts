import { vvEquals } from '../clocks/version-vector.js';
import { checkQueries, checkReplica } from './checks.js';
import { NO_FAULTS } from './config.js';
import { healPartition, restart } from './faults.js';
import { connect, linked } from './links.js';
import type { SimulationReport } from './options.js';
import { microtasks, type SimState, show } from './state.js';

// The end of a run: with the faults gone, sync must bring every replica to the same state,
// the oracle's, and that state must survive reopening from disk. A run that ended mid-fault
// would prove nothing about convergence, hence the settling first.

/** Faults off, partitions healed, everyone up and linked: sync until nothing moves. */
export async function settle(sim: SimState): Promise<void> {
  sim.note('settle: faults off, heal, restart, sync');
  sim.net.faults = NO_FAULTS;
  for (const r of sim.replicas) {
    r.disk.slow = false;
    r.disk.sync();
  }
  if (sim.net.partitioned) healPartition(sim);
  for (const c of [...sim.net.open()])
    if (c.state === 'dead') sim.net.close(c, 'sim: dead link noticed');
  for (const r of sim.replicas) if (!r.up) await restart(sim, r);
  // Quiet: three rounds in a row with nothing in flight and equal version vectors. Stuck: 50
  // rounds without a change more anywhere.
  let quiet = 0;
  let lastProgress = -1;
  for (let round = 0; quiet < 3; round++) {
    sim.net.tick(1_000);
    for (const [a, b] of sim.links) if (!linked(sim, a, b)) connect(sim, a, b);
    while (sim.net.deliverOne(true)) await microtasks(sim.rng.int(3));
    await Promise.all(sim.replicas.flatMap((r) => [...r.sessions.values()].map((s) => s.idle())));
    await Promise.all(sim.replicas.map((r) => r.p.space.flush()));
    await microtasks(5);
    sim.checkProblems();
    const vectors = sim.replicas.map((r) => r.p.space.versionVector());
    const progress = vectors.reduce((n, v) => n + [...v.values()].reduce((x, y) => x + y, 0), 0);
    const agreed = vectors.every((v) => vvEquals(v, vectors[0]!));
    if (sim.net.inFlight === 0 && agreed) quiet += 1;
    else quiet = 0;
    if (progress !== lastProgress) {
      lastProgress = progress;
      round = 0;
    }
    if (round > 50) {
      const detail = sim.replicas.map((r, i) => `${r.actor}: ${show(vectors[i]!)}`).join('; ');
      sim.fail(`the replicas stopped syncing before they agreed: ${detail}`);
    }
  }
}

/** After `settle`: every replica equal to the others and to the oracle, and again from disk. */
export async function finalChecks(sim: SimState): Promise<void> {
  const first = sim.replicas[0]!;
  const vector = first.p.space.versionVector();
  const heads = first.p.space.heads();
  const history = sim.oracle.vector();
  if (!vvEquals(vector, history)) {
    sim.fail(`after sync the replicas have ${show(vector)}, but history is ${show(history)}`);
  }
  for (const r of sim.replicas) {
    const v = r.p.space.versionVector();
    if (!vvEquals(v, vector)) sim.fail(`${r.actor} has ${show(v)}, ${first.actor} ${show(vector)}`);
    const h = r.p.space.heads();
    if (h.join() !== heads.join()) {
      sim.fail(`${r.actor} has heads ${h.join(', ')}, ${first.actor} ${heads.join(', ')}`);
    }
    checkReplica(sim, r, 'at the end');
  }
  checkQueries(sim, sim.rng.pick(sim.replicas));
  // A replica again from its disk alone (cleanly closed or crashed: all is durable now).
  for (const r of [sim.rng.pick(sim.replicas)]) {
    if (sim.rng.chance(0.5)) {
      await r.shutdown();
    } else {
      await r.p.space.flush();
      sim.net.crash(r.index);
      r.crash();
    }
    await restart(sim, r, vector);
    if (r.p.space.heads().join() !== heads.join()) {
      sim.fail(`${r.actor} reopened with other heads than it had`);
    }
  }
}

export function report(sim: SimState): SimulationReport {
  let documents = 0;
  const vector = sim.oracle.vector();
  for (const c of sim.collections) {
    for (const id of sim.oracle.ids(c)) if (sim.oracle.doc(c, id, vector)) documents += 1;
  }
  return {
    seed: sim.options.seed,
    replicas: sim.replicas.length,
    topology: sim.topology,
    steps: sim.step,
    ops: sim.ops,
    changes: sim.oracle.eventCount,
    refused: sim.refused,
    unchanged: sim.unchanged,
    faults: { ...sim.net.stats, ...sim.counts },
    documents,
    heads: sim.replicas[0]!.p.space.heads(),
  };
}
