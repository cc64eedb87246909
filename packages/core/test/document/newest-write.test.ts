import { describe, expect, test } from 'vitest';
import { type FieldKinds, insertOps, updateOps } from '../../src/document/diff.js';
import type { DocOp } from '../../src/document/ops.js';
import type { PlainObject } from '../../src/document/plain.js';
import { readConflicts, readDoc } from '../../src/document/read.js';
import { SpaceState } from '../../src/document/space-state.js';
import { readSpaceState, writeSpaceState } from '../../src/document/state-codec.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../../src/encoding/envelope.js';

// A register written at an object field (`stats = {}`) and, concurrently, a counter total or a
// set add somewhere under that object: the field reads as whichever was written last (HLC
// stamp), on every replica, in either order of applying, and after a snapshot round trip.

const C = 'cards';
const ID = 'c1';

interface Change {
  readonly actor: string;
  readonly wall: number;
  readonly ops: readonly DocOp[];
}

function replica(): SpaceState {
  const state = new SpaceState();
  for (const actor of ['alice', 'bob']) state.index(actor); // the same indexes on both
  return state;
}

function apply(state: SpaceState, change: Change): void {
  state.applyChange(state.index(change.actor), change.wall, 0, [
    { collection: C, id: ID, ops: change.ops },
  ]);
}

function read(state: SpaceState): PlainObject | undefined {
  return readDoc(state.doc(C, ID), ID, (i) => state.name(i));
}

/** The document's fields as `state` shows them, `edit`ed by `actor` into a change at `wall`. */
function update(
  state: SpaceState,
  actor: string,
  wall: number,
  kinds: FieldKinds,
  edit: (d: PlainObject) => void,
): Change {
  const { id: _id, ...before } = structuredClone(read(state)!);
  const after = structuredClone(before);
  edit(after);
  const ops = updateOps(state.doc(C, ID)!, before, after, kinds, state.index(actor));
  return { actor, wall, ops };
}

function roundTrip(state: SpaceState): SpaceState {
  const bytes = encodeEnvelope(Tag.spaceState, (w) => writeSpaceState(w, state));
  return decodeEnvelope(bytes, Tag.spaceState, readSpaceState);
}

const kindsOf = { counter: 'counter', set: 'set' } as const;

for (const kind of ['counter', 'set'] as const) {
  for (const depth of [1, 2]) {
    // The counter or set field, `depth` levels under `stats`.
    const path = depth === 1 ? ['stats', 'views'] : ['stats', 'inner', 'views'];
    const kinds: FieldKinds = { [path.join('.')]: kindsOf[kind] };
    const initial = kind === 'counter' ? 0 : [];
    const written = kind === 'counter' ? 1 : ['x'];
    const nest = (leaf: unknown) =>
      depth === 1 ? { stats: { views: leaf } } : { stats: { inner: { views: leaf } } };

    describe(`a ${kind} ${depth} level${depth > 1 ? 's' : ''} under an object vs a register at the object`, () => {
      for (const newer of ['nested', 'register'] as const) {
        for (const order of ['register first', 'nested first'] as const) {
          test(`the ${newer} write is newer; applied ${order}`, () => {
            const a = replica();
            const b = replica();
            const base: Change = {
              actor: 'alice',
              wall: 100,
              ops: insertOps(undefined, nest(initial) as PlainObject, kinds, a.index('alice')),
            };
            apply(a, base);
            apply(b, base);
            // Concurrently: alice writes `stats = {}`, bob increments or adds under `stats`.
            const registerWall = newer === 'register' ? 300 : 200;
            const nestedWall = newer === 'nested' ? 300 : 200;
            const register = update(a, 'alice', registerWall, kinds, (d) => {
              d.stats = {};
            });
            const nested = update(b, 'bob', nestedWall, kinds, (d) => {
              let obj = d.stats as PlainObject;
              if (depth === 2) obj = obj.inner as PlainObject;
              obj.views = kind === 'counter' ? (obj.views as number) + 1 : ['x'];
            });
            const changes = order === 'register first' ? [register, nested] : [nested, register];
            for (const change of changes) apply(a, change);
            for (const change of [...changes].reverse()) apply(b, change);

            const expected = { id: ID, ...(newer === 'nested' ? nest(written) : { stats: {} }) };
            for (const state of [a, b, roundTrip(a), roundTrip(b)]) {
              expect(read(state)).toEqual(expected);
              // The register's value is the one readers see only when it was written last.
              const conflicts = readConflicts(state.doc(C, ID), ['stats'], (i) => state.name(i));
              expect(conflicts.map((c) => [c.value, c.winner])).toEqual([
                [{}, newer === 'register'],
              ]);
            }
          });
        }
      }
    });
  }
}
