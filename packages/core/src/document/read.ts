import { compareValues, setOwn, type Value } from '../encoding/value.js';
import { unpack } from './apply.js';
import {
  type DocNode,
  docExists,
  dotActor,
  type FieldNode,
  fieldAt,
  type ObjNode,
  type RegEntry,
} from './node.js';

/** A plain document as readers see it: its fields plus its `id`. */
export type Doc = { readonly [field: string]: Value };

/** Actor ids by index: register ties break on the actor id, the same on every replica. */
export type ActorNames = (index: number) => string;

/** Orders register entries: later stamp wins; equal stamps break on actor id. */
export function compareEntries(a: RegEntry, b: RegEntry, actors: ActorNames): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.logical !== b.logical) return a.logical - b.logical;
  const x = actors(dotActor(a.dot));
  const y = actors(dotActor(b.dot));
  return x < y ? -1 : x > y ? 1 : 0;
}

function winner(entries: readonly RegEntry[], actors: ActorNames): RegEntry | undefined {
  let best: RegEntry | undefined;
  for (const e of entries) if (!best || compareEntries(e, best, actors) > 0) best = e;
  return best;
}

/** The newest register entry anywhere under an object (to settle a register/object clash). */
function newestIn(obj: ObjNode, actors: ActorNames): RegEntry | undefined {
  let best: RegEntry | undefined;
  for (const f of obj.values()) {
    for (const candidate of [winner(f.reg, actors), f.obj && newestIn(f.obj, actors)]) {
      if (candidate && (!best || compareEntries(candidate, best, actors) > 0)) best = candidate;
    }
  }
  return best;
}

/**
 * What a reader sees in a field: a counter's total, a set's sorted elements, or else the
 * register's winning value or the nested object, whichever was written last.
 */
export function readField(field: FieldNode, actors: ActorNames): Value | undefined {
  if (field.ctr.length > 0) {
    let total = 0;
    for (const e of field.ctr) total += e.inc - e.dec;
    return total;
  }
  if (field.set && field.set.size > 0) {
    return [...field.set.values()].map((e) => e.value).sort(compareValues);
  }
  const reg = winner(field.reg, actors);
  if (field.obj && field.obj.size > 0) {
    const nested = reg && newestIn(field.obj, actors);
    if (!reg || (nested && compareEntries(nested, reg, actors) > 0))
      return readObj(field.obj, actors);
  }
  return reg?.value;
}

export function readObj(obj: ObjNode, actors: ActorNames): { [field: string]: Value } {
  const out: { [field: string]: Value } = {};
  // Sorted, so a document reads the same on every replica whatever order its fields came in.
  for (const key of [...obj.keys()].sort()) {
    const value = readField(obj.get(key)!, actors);
    if (value === undefined) continue;
    setOwn(out, key, value);
  }
  return out;
}

/**
 * The document as a plain object with its id, or undefined when it does not exist. Documents
 * are frozen (deeply): readers share them, so nobody may change one in place.
 */
export function readDoc(
  node: DocNode | undefined,
  id: string,
  actors: ActorNames,
): Doc | undefined {
  if (!node || !docExists(node)) return undefined;
  if (node.packed) return node.packed.doc;
  const fields = readObj(node.root, actors);
  delete fields.id; // the id is the document's key, never a field a remote write could forge
  return deepFreeze({ id, ...fields });
}

export function deepFreeze<T extends Value>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  for (const item of Array.isArray(value) ? value : Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}

/** A register value kept alongside others because they were written concurrently. */
export interface ConflictValue {
  readonly value: Value;
  readonly actor: string;
  readonly wall: number;
  readonly logical: number;
  /** The value readers see. */
  readonly winner: boolean;
}

/** Every concurrent value of the register at `path` (empty when there is no register). */
export function readConflicts(
  node: DocNode | undefined,
  path: readonly string[],
  actors: ActorNames,
): ConflictValue[] {
  if (node) unpack(node);
  const field = node && fieldAt(node.root, path);
  if (!field || field.reg.length === 0) return [];
  const sorted = [...field.reg].sort((a, b) => compareEntries(b, a, actors));
  return sorted.map((e, i) => ({
    value: e.value,
    actor: actors(dotActor(e.dot)),
    wall: e.wall,
    logical: e.logical,
    winner: i === 0,
  }));
}
