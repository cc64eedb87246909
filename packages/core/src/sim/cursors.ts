import { WeftError } from '../errors.js';
import type { Anchor } from '../text/ops.js';
import type { SimCursorOp } from './ops.js';
import { Refusal } from './oracle-refusal.js';
import { cursorIn, positionIn, unitsIn } from './oracle-text.js';
import type { SimReplica } from './replica.js';
import { message, type SimState } from './state.js';

// Stable positions: a cursor taken on one replica must be the anchor the oracle gives at that
// replica's cut, and from then on its position, on any replica, what the oracle says there
// (cursors are plain data, shared in presence: they must work on other replicas too).

/** How many cursors are kept (the newest). */
const KEPT = 16;

type Outcome<T> = { readonly value: T } | { readonly error: string; readonly message: string };

export function takeCursor(sim: SimState, r: SimReplica, op: SimCursorOp): void {
  const vector = r.p.space.versionVector();
  const view = sim.oracle.view(op.collection, op.id, vector);
  const expected = attempt(() => cursorIn(view, op.path, op.index, op.stick));
  const actual = attempt(() =>
    r.collection(op.collection).cursor(op.id, op.path, op.index, op.stick),
  );
  const what = `${r.actor}: cursor(${op.collection}/${op.id}, ${op.path}, ${op.index}, ${op.stick})`;
  compare(sim, what, actual, expected, anchorsEqual);
  if ('value' in actual) {
    sim.cursors.push({ collection: op.collection, id: op.id, path: op.path, anchor: actual.value });
    if (sim.cursors.length > KEPT) sim.cursors.shift();
  }
}

/** The position of every kept cursor (or those in one document) on `r`, against the oracle. */
export function checkCursors(
  sim: SimState,
  r: SimReplica,
  when: string,
  only?: { readonly collection: string; readonly id: string },
): void {
  const vector = r.p.space.versionVector();
  for (const c of sim.cursors) {
    if (only && (only.collection !== c.collection || only.id !== c.id)) continue;
    const view = sim.oracle.view(c.collection, c.id, vector);
    const expected = attempt(() => positionIn(view, c.path, c.anchor));
    const actual = attempt(() => r.collection(c.collection).position(c.id, c.path, c.anchor));
    const what = `${when}, ${r.actor}: position(${c.collection}/${c.id}, ${c.path}, ${JSON.stringify(c.anchor)})`;
    compare(sim, what, actual, expected, (a, b) => a === b);
  }
}

/**
 * The position of every unit of a document's text and list fields (a `before` anchor at each
 * id the oracle has there, deleted ones too): the ids and their order, not only the content.
 */
export function checkUnits(
  sim: SimState,
  r: SimReplica,
  collection: string,
  id: string,
  when: string,
): void {
  const vector = r.p.space.versionVector();
  const fields = sim.workload.collections[collection]?.fields ?? {};
  for (const [path, kind] of Object.entries(fields)) {
    if (kind !== 'text' && kind !== 'list') continue;
    const units = unitsIn(sim.oracle.view(collection, id, vector), path);
    for (const u of units ?? []) {
      const anchor: Anchor = { kind: 'before', actor: u.actor, seq: u.seq };
      const actual = attempt(() => r.collection(collection).position(id, path, anchor));
      const what = `${when}, ${r.actor}: position(${collection}/${id}, ${path}, ${JSON.stringify(anchor)})`;
      compare(sim, what, actual, { value: u.pos }, (a, b) => a === b);
    }
  }
}

function compare<T>(
  sim: SimState,
  what: string,
  actual: Outcome<T>,
  expected: Outcome<T>,
  equal: (a: T, b: T) => boolean,
): void {
  const same =
    'value' in actual
      ? 'value' in expected && equal(actual.value, expected.value)
      : 'error' in expected && actual.error === expected.error;
  if (!same) sim.fail(`${what} gives ${show(actual)}, expected ${show(expected)}`);
}

function attempt<T>(body: () => T): Outcome<T> {
  try {
    return { value: body() };
  } catch (error) {
    const text = message(error);
    if (error instanceof Refusal || error instanceof WeftError)
      return { error: error.code, message: text };
    return { error: text, message: text };
  }
}

function anchorsEqual(a: Anchor, b: Anchor): boolean {
  if (a.kind === 'start' || a.kind === 'end') return a.kind === b.kind;
  return b.kind === a.kind && b.actor === a.actor && b.seq === a.seq;
}

function show<T>(outcome: Outcome<T>): string {
  return 'value' in outcome ? JSON.stringify(outcome.value) : `an error (${outcome.message})`;
}
