import type { Doc } from '../document/read.js';
import { WeftError } from '../errors.js';
import { checkDoc } from './checks.js';
import { checkCursors, checkUnits, takeCursor } from './cursors.js';
import { crash } from './faults.js';
import { describeOp, type SimOp, targetsOf, writesOf } from './ops.js';
import { Refusal } from './oracle.js';
import type { SimReplica } from './replica.js';
import { message, microtasks, type SimState } from './state.js';

// One operation of the workload on a random replica, made in the oracle first: the oracle
// says whether it must be refused or change nothing, and the replica must agree (in the
// change it makes, and later in how its promise settles).

export async function operate(sim: SimState): Promise<void> {
  const up = sim.replicas.filter((r) => r.up);
  if (up.length === 0) return;
  const r = sim.rng.pick(up);
  const p = r.p;
  const listed = new Map<string, string[]>();
  const op = sim.workload.nextOp({
    rng: sim.rng,
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
  sim.ops += 1;
  if (op.kind === 'cursor') {
    sim.note(() => `${r.actor}: ${describeOp(op)}`);
    takeCursor(sim, r, op);
    return;
  }
  const targets = writesOf(op).flatMap(targetsOf);
  const past = p.space.versionVector();
  const seq = (past.get(r.actor) ?? 0) + 1;
  sim.note(() => `${r.actor}#${seq}? ${describeOp(op)}`);

  const known = sim.oracle.count(r.actor);
  if (seq !== known + 1) {
    sim.fail(
      `${r.actor} has ${seq - 1} changes of its own, but history holds ${known}: a write the simulator did not make`,
    );
  }
  const pending = sim.oracle.begin(r.actor, past);
  let refusal: Refusal | undefined;
  try {
    for (const w of writesOf(op)) sim.oracle.apply(pending, w);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    refusal = error;
    sim.oracle.abort(pending);
  }

  p.lastStamp = undefined;
  const result = perform(r, op);
  const after = p.space.versionVector();
  const made = (after.get(r.actor) ?? 0) - (past.get(r.actor) ?? 0);
  if (made !== 0 && made !== 1) sim.fail(`one operation made ${made} changes`);

  if (refusal) {
    sim.refused += 1;
    if (made === 1) {
      sim.fail(
        `${r.actor} made a change for ${describeOp(op)}, which must be refused: ${refusal.message}`,
      );
    }
    const code = refusal.code;
    result.then(
      () => sim.problem(`${r.actor} accepted ${describeOp(op)}, which must be refused (${code})`),
      (error: unknown) => {
        if (!(error instanceof WeftError) || error.code !== code) {
          sim.problem(
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
      sim.fail(
        `${r.actor} made no change for ${describeOp(op)} (${outcome}); the oracle expected one`,
      );
    }
    sim.unchanged += 1;
  } else {
    if (pending.next === 0) {
      sim.fail(`${r.actor} made a change for ${describeOp(op)}, which changes nothing`);
    }
    const stamp = p.lastStamp ?? r.ownStamp(seq);
    if (!stamp) throw new Error('Weft simulator: no stamp seen for a change');
    try {
      sim.oracle.commit(pending, stamp);
    } catch (error) {
      sim.fail(message(error));
    }
    sim.changes += 1;
  }
  result.then(
    () => {
      if (made === 1 && r.process === p) r.acked = Math.max(r.acked, seq);
    },
    (error: unknown) => {
      if (r.process === p) sim.problem(`${r.actor}: ${describeOp(op)} failed: ${message(error)}`);
    },
  );
  for (const t of targets) {
    checkDoc(sim, r, t.collection, t.id, after, 'after the operation');
    checkCursors(sim, r, 'after the operation', t);
    checkUnits(sim, r, t.collection, t.id, 'after the operation');
  }
  // Now and then the process dies before (or just after) the write is durable.
  if (sim.rng.chance(sim.faults.crash)) {
    await microtasks(sim.rng.int(8));
    if (r.process === p) crash(sim, r, ' right after an operation');
  }
}

/** The replica's operation as a promise, even when it throws at once. */
function perform(r: SimReplica, op: SimOp): Promise<unknown> {
  try {
    return r.perform(op);
  } catch (error) {
    return Promise.reject(error);
  }
}
