import { checkReplica } from './checks.js';
import { fault, restart } from './faults.js';
import { connect, linked } from './links.js';
import { operate } from './operate.js';
import type { SimulationOptions, SimulationReport, SimWorld } from './options.js';
import { finalChecks, report, settle } from './settle.js';
import { microtasks, SimState } from './state.js';

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
 *
 * The parts: state.ts (the run's state and failure report), this file (the driver loop),
 * operate.ts (an operation against the oracle), faults.ts (faults and restarts), links.ts
 * (sessions over the topology's links), checks.ts (replicas against the oracle), cursors.ts
 * (cursors, and the order of text and list units, against the oracle), settle.ts (the end:
 * convergence and the report). The oracle: oracle.ts, with oracle-model/-write/-read (fields),
 * oracle-seq/-text/-fugue (text and lists).
 */

/** Runs one simulation; resolves to its report or rejects with a SimulationError. */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const sim = new SimState(options);
  try {
    return await run(sim);
  } catch (error) {
    throw sim.failure(error);
  }
}

async function run(sim: SimState): Promise<SimulationReport> {
  sim.note(
    `${sim.replicas.length} replicas (${sim.replicas.map((r) => r.actor).join(', ')}), ${sim.topology}`,
  );
  for (const r of sim.replicas) await sim.fastDisk(r, () => r.open());
  for (const [a, b] of sim.links) connect(sim, a, b);
  while (sim.ops < sim.opsWanted) {
    await takeStep(sim);
    sim.checkProblems();
  }
  await settle(sim);
  await finalChecks(sim);
  return report(sim);
}

// Every draw from the PRNG and every await here is part of what a seed means: work in flight
// (sessions, storage) moves on only between the driver's awaits, so adding or reordering
// either changes every run after it.
async function takeStep(sim: SimState): Promise<void> {
  const rng = sim.rng;
  const f = sim.faults;
  sim.step += 1;
  sim.time += rng.int(4);
  sim.net.tick();
  for (const r of sim.replicas) {
    if (!r.up && rng.chance(f.restart)) await restart(sim, r);
  }
  for (const [a, b] of sim.links) {
    if (!linked(sim, a, b) && rng.chance(f.reconnect)) connect(sim, a, b);
  }
  // Steps: an operation, some deliveries, some microtasks (work in flight moves on), a fault.
  const faultWeight = 30 * (f.crash + f.shutdown + f.partition + f.feed + f.clockJump);
  switch (rng.weighted([10, 7, 2, faultWeight])) {
    case 0:
      await operate(sim);
      break;
    case 1: {
      const n = 1 + rng.int(6);
      for (let i = 0; i < n; i++) {
        if (!sim.net.deliverOne()) break;
        await microtasks(rng.int(3));
      }
      break;
    }
    case 2:
      await microtasks(rng.int(40));
      break;
    default:
      await fault(sim);
  }
  for (const r of sim.replicas) {
    if (r.up && r.disk.pending > 0 && rng.chance(0.4)) r.disk.sync(1 + rng.int(3));
  }
  await microtasks(rng.int(4));
  if (rng.chance(0.005)) {
    const up = sim.replicas.filter((r) => r.up);
    if (up.length > 0) checkReplica(sim, rng.pick(up), 'spot check');
  }
  await sim.options.hooks?.afterStep?.(world(sim));
}

/** What the afterStep hook sees of the run. */
function world(sim: SimState): SimWorld {
  return {
    step: sim.step,
    rng: sim.rng,
    replicas: sim.replicas.map((r) => ({
      index: r.index,
      actor: r.actor,
      up: r.up,
      space: r.process?.space,
      collection: (name: string) => r.collection(name),
    })),
  };
}
