import { type Value, valueEquals, valueKey } from '../encoding/value.js';
import { InvalidValueError } from '../errors.js';
import { unpack } from './apply.js';
import { forEachInsertLeaf, MAX_FIELD_DEPTH } from './insert-leaves.js';
import {
  type DocNode,
  docDots,
  dotActor,
  type FieldNode,
  fieldDots,
  type ObjNode,
  objDots,
  type PackedDot,
  type SetEntry,
} from './node.js';
import type { DocOp } from './ops.js';
import { isPlainObject, type PlainObject } from './plain.js';
import type { ActorNames } from './read.js';
import { sequenceOps } from './sequence-ops.js';

/**
 * How a field merges: a register (default; objects merge per key), a counter, a set, or a
 * sequence (collaborative `text`, or a `list` of values).
 */
export type FieldKind = 'counter' | 'set' | 'text' | 'list';
/** Field kinds by dot-separated path, e.g. `{ votes: 'counter', 'meta.tags': 'set' }`. */
export type FieldKinds = Readonly<Record<string, FieldKind>>;

export { isPlainObject, type PlainObject };

interface DiffContext {
  readonly kinds: FieldKinds;
  /** The writing actor's index (its counter entries are its own to replace). */
  readonly actor: number;
  /** Actor ids by index (sequences need the writer's id and the readers' tie-breaks). */
  readonly names: ActorNames;
  readonly ops: DocOp[];
}

/** Operations that replace the document (or create it) with `fields`. */
export function insertOps(
  node: DocNode | undefined,
  fields: PlainObject,
  kinds: FieldKinds,
  actor: number,
  names: ActorNames = unnamed,
): DocOp[] {
  const ops: DocOp[] = [{ kind: 'insert', covers: node ? docDots(node) : NO_DOTS }];
  if (Object.keys(kinds).length === 0) {
    // Without counter or set fields, an insert writes one register per leaf, in leaf order.
    forEachInsertLeaf(fields, (path, value) =>
      ops.push({ kind: 'set', path, value, covers: NO_DOTS }),
    );
    return ops;
  }
  diffObj({ kinds, actor, names, ops }, [], undefined, {}, fields);
  return ops;
}

const NO_DOTS: readonly PackedDot[] = Object.freeze([]);

const unnamed: ActorNames = () => {
  throw new Error('Weft internal error: text and list fields need the actor names');
};

/**
 * Operations that turn the document (currently `before`) into `after`. `written` is the patch
 * the caller wrote, if it wrote one: a field it names is written even when its value is the
 * one readers see, which settles that field's conflict; a field whose value did not change and
 * that the patch does not name keeps its concurrent values (a draft names no field).
 */
export function updateOps(
  node: DocNode,
  before: PlainObject,
  after: PlainObject,
  kinds: FieldKinds,
  actor: number,
  names: ActorNames = unnamed,
  written?: PlainObject,
): DocOp[] {
  const ctx: DiffContext = { kinds, actor, names, ops: [] };
  unpack(node);
  diffObj(ctx, [], node.root, before, after, written);
  return ctx.ops;
}

export function deleteOps(node: DocNode): DocOp[] {
  return [{ kind: 'delete', covers: docDots(node) }];
}

function diffObj(
  ctx: DiffContext,
  path: string[],
  obj: ObjNode | undefined,
  before: PlainObject,
  after: PlainObject,
  written?: PlainObject,
): void {
  if (path.length >= MAX_FIELD_DEPTH) {
    throw new InvalidValueError(
      `field "${path.join('.')}" nests objects deeper than ${MAX_FIELD_DEPTH} levels`,
    );
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...(obj?.keys() ?? [])]);
  for (const key of keys) {
    const named = written !== undefined && Object.hasOwn(written, key);
    const inner = named && isPlainObject(written[key]) ? (written[key] as PlainObject) : undefined;
    diffField(ctx, [...path, key], obj?.get(key), own(before, key), own(after, key), {
      named,
      inner,
    });
  }
}

/** What the caller's patch says of a field: whether it names it, and its fields if an object. */
interface Written {
  readonly named: boolean;
  readonly inner: PlainObject | undefined;
}

/** A field's own value: a field named like an Object.prototype member (`constructor`) reads as absent unless set. */
function own(fields: PlainObject, key: string): Value | undefined {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

function diffField(
  ctx: DiffContext,
  path: string[],
  field: FieldNode | undefined,
  before: Value | undefined,
  after: Value | undefined,
  written: Written,
): void {
  if (after === undefined) {
    if (field) ctx.ops.push({ kind: 'clear', path, covers: fieldDots(field) });
    return;
  }
  const kind = ctx.kinds[path.join('.')];
  if (kind === 'text' || kind === 'list')
    ctx.ops.push(...sequenceOps(kind, path, field, after, ctx.names(ctx.actor), ctx.names));
  else if (kind === 'counter') diffCounter(ctx, path, field, before, after);
  else if (kind === 'set') diffSet(ctx, path, field, after);
  else diffRegisterOrObject(ctx, path, field, before, after, written);
}

function diffRegisterOrObject(
  ctx: DiffContext,
  path: string[],
  field: FieldNode | undefined,
  before: Value | undefined,
  after: Value,
  written: Written,
): void {
  if (isPlainObject(after) && Object.keys(after).length > 0) {
    // An object merges key by key; a register or counter or set here gives way to it.
    const stale = field
      ? [
          ...field.reg.map((e) => e.dot),
          ...field.ctr.map((e) => e.dot),
          ...setDots(field),
          ...field.seq.map((e) => e.dot),
        ]
      : [];
    if (stale.length > 0) ctx.ops.push({ kind: 'clear', path, covers: stale });
    diffObj(ctx, path, field?.obj, isPlainObject(before) ? before : {}, after, written.inner);
    return;
  }
  const settled =
    field !== undefined &&
    field.reg.length === 1 &&
    !field.obj &&
    field.ctr.length === 0 &&
    !field.set &&
    field.seq.length === 0;
  const unchanged = before !== undefined && valueEquals(before, after);
  // Unchanged and not named: nothing to write, and its conflict (if any) is left as it is.
  if (unchanged && (settled || !written.named)) return;
  ctx.ops.push({ kind: 'set', path, value: after, covers: field ? fieldDots(field) : [] });
}

function diffCounter(
  ctx: DiffContext,
  path: string[],
  field: FieldNode | undefined,
  before: Value | undefined,
  after: Value,
): void {
  if (typeof after !== 'number' || !Number.isSafeInteger(after)) {
    throw new InvalidValueError(
      `counter field "${path.join('.')}" needs an integer, got ${JSON.stringify(after)}`,
    );
  }
  const delta = after - (typeof before === 'number' ? before : 0);
  // A counter at 0 still exists: an absent one is written with this actor's totals.
  if (delta === 0 && field && field.ctr.length > 0) return;
  let inc = 0;
  let dec = 0;
  const own: PackedDot[] = [];
  for (const e of field?.ctr ?? []) {
    if (dotActor(e.dot) !== ctx.actor) continue;
    inc = Math.max(inc, e.inc);
    dec = Math.max(dec, e.dec);
    own.push(e.dot);
  }
  if (delta > 0) inc += delta;
  else dec -= delta;
  ctx.ops.push({ kind: 'count', path, inc, dec, covers: own });
}

/**
 * A set field's new array against its elements: new elements are added (with a fresh dot),
 * missing ones removed (covering the dots this replica saw, so a concurrent add survives).
 * An element already present keeps its dots: listing it again is not a new add.
 */
function diffSet(
  ctx: DiffContext,
  path: string[],
  field: FieldNode | undefined,
  after: Value,
): void {
  if (!Array.isArray(after)) {
    throw new InvalidValueError(
      `set field "${path.join('.')}" needs an array, got ${JSON.stringify(after)}`,
    );
  }
  const wanted = new Map(after.map((v) => [valueKey(v), v]));
  const present: ReadonlyMap<string, SetEntry> = field?.set ?? new Map();
  // An empty set still exists: a new set field gets an empty-array register underneath, which
  // readers see whenever the set holds no elements.
  if (!field || field.reg.length === 0) {
    const stale = field
      ? [...(field.obj ? objDots(field.obj) : []), ...field.ctr.map((e) => e.dot)]
      : [];
    ctx.ops.push({ kind: 'set', path, value: [], covers: stale });
  }
  for (const [key, value] of wanted)
    if (!present.has(key)) ctx.ops.push({ kind: 'add', path, value, covers: [] });
  for (const [key, entry] of present) {
    if (!wanted.has(key))
      ctx.ops.push({
        kind: 'remove',
        path,
        value: entry.value,
        covers: entry.adds.map((a) => a.dot),
      });
  }
}

function setDots(field: FieldNode): PackedDot[] {
  const out: PackedDot[] = [];
  if (field.set) for (const e of field.set.values()) for (const a of e.adds) out.push(a.dot);
  return out;
}
