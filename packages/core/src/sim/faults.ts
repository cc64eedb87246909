import { type VersionVector, vvEquals } from '../clocks/version-vector.js';
import { HistoryUnavailableError } from '../errors.js';
import type { Run } from '../log/run.js';
import { checkReplica } from './checks.js';
import type { SimReplica } from './replica.js';
import { message, type SimState, show } from './state.js';

// The faults the driver strikes with, besides the network's own (network.ts): crashes, clean
// shutdowns, partitions, runs fed out of order, clock jumps; and the restart that follows a
// crash or shutdown, where what the disk kept is checked against what was acknowledged.

/** One fault, its kind drawn by the configured rates. */
export async function fault(sim: SimState): Promise<void> {
  const rng = sim.rng;
  const f = sim.faults;
  const up = sim.replicas.filter((r) => r.up);
  const kind = rng.weighted([
    f.crash,
    f.shutdown,
    sim.net.partitioned ? f.heal * 0.3 : f.partition,
    f.feed,
    f.clockJump,
  ]);
  if (kind === 0 && up.length > 0) {
    crash(sim, rng.pick(up));
  } else if (kind === 1 && up.length > 0) {
    const r = rng.pick(up);
    sim.note(`shutdown ${r.actor}`);
    sim.counts.shutdowns += 1;
    const before = r.p.space.versionVector();
    await sim.fastDisk(r, () => r.shutdown());
    await restart(sim, r, before);
  } else if (kind === 2) {
    if (sim.net.partitioned) healPartition(sim);
    else {
      const sides = sim.replicas.map(() => rng.int(2));
      if (sides.every((s) => s === sides[0])) sides[0] = 1 - sides[0]!;
      sim.note(`partition ${sides.join('')}`);
      sim.counts.partitions += 1;
      sim.net.partition(sides);
    }
  } else if (kind === 3 && up.length >= 2) {
    await feed(sim, rng.pick(up), rng.pick(up));
  } else if (kind === 4) {
    const r = rng.pick(sim.replicas);
    sim.skew[r.index] = sim.skew[r.index]! + rng.between(-5_000, 5_000);
    sim.note(`clock of ${r.actor} now off by ${sim.skew[r.index]} ms`);
    sim.counts.clockJumps += 1;
  }
}

export function crash(sim: SimState, r: SimReplica, when = ''): void {
  sim.note(`crash ${r.actor}${when}`);
  sim.counts.crashes += 1;
  sim.net.crash(r.index);
  r.crash();
}

export function healPartition(sim: SimState): void {
  sim.note('heal');
  sim.counts.heals += 1;
  sim.net.heal();
}

/** Runs from one replica fed straight into another's space, out of order, with gaps. */
async function feed(sim: SimState, from: SimReplica, to: SimReplica): Promise<void> {
  if (from === to) return;
  const source = from.p.space;
  await sim.fastDisk(from, () => source.flush()); // sent only once durable, as sessions do
  if (!from.up || !to.up || from.p.space !== source) return;
  const base = new Map(to.p.space.versionVector());
  for (const [actor, seq] of base) if (sim.rng.chance(0.3)) base.set(actor, sim.rng.int(seq));
  let runs: Run[];
  try {
    runs = await source.changesSinceStored(base);
  } catch (error) {
    if (error instanceof HistoryUnavailableError) return; // it started from a snapshot
    throw error;
  }
  if (!from.up || !to.up || from.p.space !== source) return;
  if (runs.length > 16) {
    const start = sim.rng.int(runs.length - 15);
    runs = runs.slice(start, start + 16);
  }
  runs = runs.filter(() => sim.rng.chance(0.8));
  for (const run of [...runs]) if (sim.rng.chance(0.2)) runs.push(run);
  sim.rng.shuffle(runs);
  sim.note(`feed ${runs.length} runs from ${from.actor} to ${to.actor}`);
  sim.counts.feeds += 1;
  const target = to.p.space;
  target.receive(runs).catch((error: unknown) => {
    if (to.process?.space === target)
      sim.problem(`${to.actor} refused runs fed from ${from.actor}: ${message(error)}`);
  });
}

/**
 * Starts the replica again from its disk and checks what the disk kept: all of it after a
 * clean shutdown (`before`), every acknowledged change after a crash, and nothing that never
 * left it (so no other replica may hold a change it lost). The changes it lost leave the
 * oracle's history.
 */
export async function restart(sim: SimState, r: SimReplica, before?: VersionVector): Promise<void> {
  const p = await sim.fastDisk(r, () => r.open());
  sim.counts.restarts += 1;
  const vector = p.space.versionVector();
  const kept = vector.get(r.actor) ?? 0;
  sim.note(`restart ${r.actor} (${kept} own changes on disk)`);
  if (before && !vvEquals(before, vector)) {
    sim.fail(`${r.actor} shut down cleanly with ${show(before)} but reopened with ${show(vector)}`);
  }
  if (kept < r.acked) {
    sim.fail(
      `${r.actor} lost change ${kept + 1} (of up to ${r.acked}) in a crash, after it was acknowledged as durable`,
    );
  }
  const lost = sim.oracle.forget(r.actor, kept);
  sim.counts.lostChanges += lost.length;
  for (const other of sim.replicas) {
    if (!other.up) continue;
    const has = other.p.space.versionVector().get(r.actor) ?? 0;
    if (has > kept) {
      sim.fail(
        `${other.actor} holds ${r.actor}'s change ${has}, which ${r.actor} lost in a crash: a change left its replica before it was durable`,
      );
    }
  }
  const history = sim.oracle.vector();
  for (const [actor, seq] of vector) {
    const known = history.get(actor) ?? 0;
    if (seq > known) {
      sim.fail(`${r.actor} reopened with ${actor}'s change ${seq}, which history does not hold`);
    }
  }
  checkReplica(sim, r, 'after restart');
}
