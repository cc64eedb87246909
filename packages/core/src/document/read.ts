import { compareValues, setOwn, type Value } from '../encoding/value.js';
import { unpack } from './apply.js';
import {
  type DocNode,
  docExists,
  dotActor,
  type FieldNode,
  fieldAt,
  type ObjNode,
  type SeqEntry,
  type Stamped,
} from './node.js';

/** A plain document as readers see it: its fields plus its `id`. */
export type Doc = { readonly [field: string]: Value };

/** Actor ids by index: register ties break on the actor id, the same on every replica. */
export type ActorNames = (index: number) => string;

/** Orders entries (dots) by stamp: later stamp wins; equal stamps break on actor id. */
export function compareEntries(a: Stamped, b: Stamped, actors: ActorNames): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.logical !== b.logical) return a.logical - b.logical;
  const x = actors(dotActor(a.dot));
  const y = actors(dotActor(b.dot));
  return x < y ? -1 : x > y ? 1 : 0;
}

function winner<E extends Stamped>(entries: readonly E[], actors: ActorNames): E | undefined {
  // Indexed: entry lists are often the shared frozen empty one, and for-of over a frozen
  // array allocates per step (this runs per keystroke).
  let best: E | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!best || compareEntries(e, best, actors) > 0) best = e;
  }
  return best;
}

/**
 * The newest write anywhere under an object (to settle a register/object clash): a register
 * value, a counter total or a set add.
 */
function newestIn(obj: ObjNode, actors: ActorNames): Stamped | undefined {
  let best: Stamped | undefined;
  const consider = (candidate: Stamped | undefined) => {
    if (candidate && (!best || compareEntries(candidate, best, actors) > 0)) best = candidate;
  };
  for (const f of obj.values()) {
    consider(winner(f.reg, actors));
    consider(winner(f.ctr, actors));
    if (f.set) for (const e of f.set.values()) consider(winner(e.adds, actors));
    if (f.obj) consider(newestIn(f.obj, actors));
    consider(winner(f.seq, actors));
  }
  return best;
}

/** Whether a field with a register (or sequence) reads as its nested object: written after it. */
function objectWins(field: FieldNode, reg: Stamped | undefined, actors: ActorNames): boolean {
  if (!field.obj || field.obj.size === 0) return false;
  if (!reg) return true;
  const nested = newestIn(field.obj, actors);
  return nested !== undefined && compareEntries(nested, reg, actors) > 0;
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
  const seq = visibleSequence(field, actors);
  if (seq) return readSequence(seq);
  const reg = winner(field.reg, actors);
  if (objectWins(field, reg, actors)) return readObj(field.obj!, actors);
  return reg?.value;
}

/**
 * The text or list a reader sees in a field: its newest sequence, unless a register value or
 * the nested object was written after it (or a counter or set is there: those read first).
 */
export function visibleSequence(field: FieldNode, actors: ActorNames): SeqEntry | undefined {
  if (field.seq.length === 0 || field.ctr.length > 0 || (field.set && field.set.size > 0))
    return undefined;
  const seq = winner(field.seq, actors)!;
  const reg = winner(field.reg, actors);
  if (reg && compareEntries(reg, seq, actors) > 0) return undefined;
  return objectWins(field, seq, actors) ? undefined : seq;
}

/** A text field reads as its string, a list field as an array of its elements. */
function readSequence(entry: SeqEntry): Value {
  return entry.kind === 'text' ? entry.crdt.toString() : entry.crdt.toArray();
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
  /**
   * The value readers see: the newest, unless the field reads as something else (a counter, a
   * set's elements, or an object written after it).
   */
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
  const shown =
    field.ctr.length === 0 &&
    !(field.set && field.set.size > 0) &&
    visibleSequence(field, actors) === undefined &&
    !objectWins(field, sorted[0], actors);
  return sorted.map((e, i) => ({
    value: e.value,
    actor: actors(dotActor(e.dot)),
    wall: e.wall,
    logical: e.logical,
    winner: shown && i === 0,
  }));
}
