import { isPlainObject, type PlainObject } from '../document/plain.js';
import { setOwn, type Value, valueEquals } from '../encoding/value.js';
import type { Anchor } from '../text/ops.js';

/**
 * Operations of a simulation, as plain data: what a user of the database does. The simulator
 * performs them on a replica (through the public collection API) and hands the same data to
 * the oracle, which works out on its own what they mean. Workloads produce them; to test a new
 * field type, add its writes here, to `perform` (replica.ts) and to the oracle.
 */
export type SimDoc = { readonly id: string } & PlainObject;

/** One change a draft function makes (`update(id, (d) => …)`). */
export type SimEdit =
  /** Sets the value at `path`, making missing (or non-object) parents plain objects. */
  | { readonly op: 'set'; readonly path: readonly string[]; readonly value: Value }
  /** Deletes the field at `path` (nothing if its parent is not an object). */
  | { readonly op: 'unset'; readonly path: readonly string[] }
  /** `d.votes += by` (from 0 when the field is not a number). */
  | { readonly op: 'increment'; readonly path: readonly string[]; readonly by: number }
  /** Appends `value` to the array at `path` (a new array when there is none). */
  | { readonly op: 'push'; readonly path: readonly string[]; readonly value: Value }
  /** Removes every element equal to `value` from the array at `path`. */
  | { readonly op: 'pull'; readonly path: readonly string[]; readonly value: Value };

export type SimWrite =
  | { readonly kind: 'insert'; readonly collection: string; readonly doc: SimDoc }
  | { readonly kind: 'put'; readonly collection: string; readonly doc: SimDoc }
  /** `update(id, patch)`: nested objects merge, `undefined` removes a field. */
  | {
      readonly kind: 'patch';
      readonly collection: string;
      readonly id: string;
      readonly patch: PlainObject;
    }
  /** `update(id, draft => …)`. */
  | {
      readonly kind: 'edit';
      readonly collection: string;
      readonly id: string;
      readonly edits: readonly SimEdit[];
    }
  | { readonly kind: 'delete'; readonly collection: string; readonly id: string }
  | { readonly kind: 'insertMany'; readonly collection: string; readonly docs: readonly SimDoc[] }
  /** `spliceText(id, path, index, deleteCount, text)`. */
  | (SpliceAt & { readonly kind: 'spliceText'; readonly text: string })
  /** `spliceList(id, path, index, deleteCount, values)`. */
  | (SpliceAt & { readonly kind: 'spliceList'; readonly values: readonly Value[] });

interface SpliceAt {
  readonly collection: string;
  readonly id: string;
  /** Dot-separated, as the API takes it. */
  readonly path: string;
  readonly index: number;
  readonly deleteCount: number;
}

/**
 * `cursor(id, path, index, stick)`: takes a stable position, which the simulator keeps and
 * checks (`position`) against the oracle from then on, on every replica.
 */
export interface SimCursorOp {
  readonly kind: 'cursor';
  readonly collection: string;
  readonly id: string;
  readonly path: string;
  readonly index: number;
  readonly stick: 'left' | 'right';
}

/** A cursor a `cursor` op took, and where. */
export interface SimCursor {
  readonly collection: string;
  readonly id: string;
  readonly path: string;
  readonly anchor: Anchor;
}

/**
 * A write on its own, several in one `space.transact` (one change, all or nothing), or a
 * cursor taken.
 */
export type SimOp =
  | SimWrite
  | { readonly kind: 'transact'; readonly writes: readonly SimWrite[] }
  | SimCursorOp;

export function writesOf(op: SimOp): readonly SimWrite[] {
  if (op.kind === 'cursor') return [];
  return op.kind === 'transact' ? op.writes : [op];
}

/** The documents a write names. */
export function targetsOf(write: SimWrite): { collection: string; id: string }[] {
  switch (write.kind) {
    case 'insert':
    case 'put':
      return [{ collection: write.collection, id: write.doc.id }];
    case 'insertMany':
      return write.docs.map((d) => ({ collection: write.collection, id: d.id }));
    default:
      return [{ collection: write.collection, id: write.id }];
  }
}

/** Applies draft edits to a mutable plain object, as a user's draft function would. */
export function applyEdits(draft: PlainObject, edits: readonly SimEdit[]): void {
  for (const edit of edits) {
    const parent =
      edit.op === 'unset' ? existingParent(draft, edit.path) : parentOf(draft, edit.path);
    if (!parent) continue;
    const key = edit.path[edit.path.length - 1]!;
    const current = Object.hasOwn(parent, key) ? parent[key] : undefined;
    switch (edit.op) {
      case 'set':
        setOwn(parent, key, structuredClone(edit.value));
        break;
      case 'unset':
        delete parent[key];
        break;
      case 'increment':
        setOwn(parent, key, (typeof current === 'number' ? current : 0) + edit.by);
        break;
      case 'push':
        setOwn(parent, key, [
          ...(Array.isArray(current) ? current : []),
          structuredClone(edit.value),
        ]);
        break;
      case 'pull':
        setOwn(
          parent,
          key,
          (Array.isArray(current) ? current : []).filter((v) => !valueEquals(v, edit.value)),
        );
        break;
    }
  }
}

function parentOf(root: PlainObject, path: readonly string[]): PlainObject {
  let obj = root;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (isPlainObject(next)) obj = next;
    else {
      const fresh: PlainObject = {};
      setOwn(obj, key, fresh);
      obj = fresh;
    }
  }
  return obj;
}

function existingParent(root: PlainObject, path: readonly string[]): PlainObject | undefined {
  let obj = root;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (!isPlainObject(next)) return undefined;
    obj = next;
  }
  return obj;
}

/** `update(id, patch)` semantics: nested plain objects merge, `undefined` removes a field. */
export function mergePatch(base: PlainObject, patch: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(patch)) {
    const own = Object.hasOwn(out, key) ? out[key] : undefined;
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(own)) setOwn(out, key, mergePatch(own, value));
    else setOwn(out, key, structuredClone(value));
  }
  return out;
}

/** A short readable form of an operation, for traces and failure reports. */
export function describeOp(op: SimOp): string {
  if (op.kind === 'cursor') {
    return `${op.collection}.cursor(${JSON.stringify(op.id)}, ${JSON.stringify(op.path)}, ${op.index}, ${JSON.stringify(op.stick)})`;
  }
  if (op.kind === 'transact') return `transact[${op.writes.map(describeWrite).join('; ')}]`;
  return describeWrite(op);
}

function describeWrite(w: SimWrite): string {
  switch (w.kind) {
    case 'insert':
    case 'put':
      return `${w.collection}.${w.kind}(${show(w.doc)})`;
    case 'insertMany':
      return `${w.collection}.insertMany(${show(w.docs)})`;
    case 'patch':
      return `${w.collection}.update(${JSON.stringify(w.id)}, ${show(w.patch)})`;
    case 'edit':
      return `${w.collection}.update(${JSON.stringify(w.id)}, d => {${w.edits.map(showEdit).join(' ')}})`;
    case 'delete':
      return `${w.collection}.delete(${JSON.stringify(w.id)})`;
    case 'spliceText':
    case 'spliceList': {
      const args = [w.id, w.path].map((a) => JSON.stringify(a));
      const insert = w.kind === 'spliceText' ? JSON.stringify(w.text) : show(w.values);
      return `${w.collection}.${w.kind}(${args.join(', ')}, ${w.index}, ${w.deleteCount}, ${insert})`;
    }
  }
}

function showEdit(e: SimEdit): string {
  const at = `d.${e.path.join('.')}`;
  switch (e.op) {
    case 'set':
      return `${at} = ${show(e.value)};`;
    case 'unset':
      return `delete ${at};`;
    case 'increment':
      return `${at} += ${e.by};`;
    case 'push':
      return `${at}.push(${show(e.value)});`;
    case 'pull':
      return `${at} = ${at}.filter(x => x != ${show(e.value)});`;
  }
}

/** JSON-like text for values, showing what JSON cannot (undefined, bytes, NaN, -0). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (value instanceof Uint8Array) return `bytes[${[...value].join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(show).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
