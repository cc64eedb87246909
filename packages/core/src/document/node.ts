import type { Value } from '../encoding/value.js';
import type { ListCrdt } from '../text/list-crdt.js';
import type { TextCrdt } from '../text/text-crdt.js';

/**
 * The CRDT state of documents, shaped for in-place updates (a space holds many documents, so
 * applying a change touches only the documents it names).
 *
 * Every live entry carries a *dot*: the actor (as an index into the space's actor table) and
 * a per-actor counter, packed into one number. A write *covers* the dots it overwrites; a
 * covered dot is removed wherever it is. Dots nobody covered survive: that is how concurrent
 * writes are kept (registers hold several values; a delete concurrent with an update keeps
 * the delete marker, and a document with a delete marker reads as deleted).
 */
export type PackedDot = number;

const COUNTER_SPACE = 2 ** 32;
export const MAX_DOT_COUNTER = COUNTER_SPACE - 1;
export const MAX_ACTORS = 2 ** 21;

export function packDot(actor: number, counter: number): PackedDot {
  return actor * COUNTER_SPACE + counter;
}

export function dotActor(dot: PackedDot): number {
  return Math.floor(dot / COUNTER_SPACE);
}

export function dotCounter(dot: PackedDot): number {
  return dot % COUNTER_SPACE;
}

/**
 * A dot stamped with the HLC of the change that made it: when a register and an object were
 * written to one field concurrently, the newest stamp in the object's subtree (registers,
 * counters, set adds) decides whether it was written after the register (read.ts).
 */
export interface Stamped {
  readonly dot: PackedDot;
  readonly wall: number;
  readonly logical: number;
}

/** One register value. */
export interface RegEntry extends Stamped {
  readonly value: Value;
}

/** One actor's running totals in a counter field; the actor's newest dot replaces its older. */
export interface CounterEntry extends Stamped {
  readonly inc: number;
  readonly dec: number;
}

/** One element of an add-wins set field, with the adds (dots) that keep it there. */
export interface SetEntry {
  readonly value: Value;
  adds: Stamped[];
}

/**
 * A text or list field: a sequence CRDT made by one write (its dot and stamp), edited in place
 * by later changes that name it by that dot. Two made concurrently at one field both stay, like
 * register values; readers see the newest. Covering the dot removes the sequence, and edits
 * that arrive for it later are dropped.
 */
export type SeqEntry =
  | {
      readonly kind: 'text';
      readonly dot: PackedDot;
      readonly wall: number;
      readonly logical: number;
      crdt: TextCrdt;
    }
  | {
      readonly kind: 'list';
      readonly dot: PackedDot;
      readonly wall: number;
      readonly logical: number;
      crdt: ListCrdt;
    };

/**
 * A field can hold a register, a nested object, a counter, a set and sequences at once
 * (concurrent writes of different kinds all survive); `readField` decides what a reader sees.
 */
export interface FieldNode {
  reg: readonly RegEntry[];
  obj: ObjNode | undefined;
  ctr: readonly CounterEntry[];
  set: Map<string, SetEntry> | undefined;
  seq: readonly SeqEntry[];
}

/** Shared empty lists: most fields never hold a counter, and most hold one register entry. */
const NONE: readonly never[] = Object.freeze([]);

export type ObjNode = Map<string, FieldNode>;

export interface DocNode {
  root: ObjNode;
  /** Markers of the inserts that made the document. */
  alive: PackedDot[];
  /** Markers of deletes not yet covered by a later insert: any one makes the document deleted. */
  deleted: PackedDot[];
  /**
   * A document made by one insert and untouched since is kept packed: the dots of that insert
   * (`base` for the alive marker, then one per field, in insert order) and the document as
   * read. `root`, `alive` and `deleted` are then empty; `unpack` (apply.ts) expands them
   * before anything changes the document. Most documents stay packed: three objects each
   * instead of a handful per field, and a snapshot stores them as plain values.
   */
  packed: PackedInsert | undefined;
}

export interface PackedInsert {
  /** The alive marker. */
  readonly base: PackedDot;
  readonly wall: number;
  readonly logical: number;
  /** How many leaves (fields) the document has. */
  readonly fields: number;
  /**
   * Per leaf, in insert order, `dot, wall, logical`; or undefined when all leaves come from the
   * insert itself: leaf i then has dot `base + 1 + i` and the insert's stamp.
   */
  readonly stamps: readonly number[] | undefined;
  /** The document as readers see it, with its id; frozen. */
  readonly doc: { readonly [field: string]: Value };
}

/** The dot and stamp of a packed document's leaf `i`. */
export function packedLeaf(
  p: PackedInsert,
  i: number,
): { dot: PackedDot; wall: number; logical: number } {
  const s = p.stamps;
  if (s) return { dot: s[3 * i]!, wall: s[3 * i + 1]!, logical: s[3 * i + 2]! };
  return { dot: p.base + 1 + i, wall: p.wall, logical: p.logical };
}

export function emptyField(): FieldNode {
  return { reg: NONE, obj: undefined, ctr: NONE, set: undefined, seq: NONE };
}

export function emptyDoc(): DocNode {
  return { root: new Map(), alive: [], deleted: [], packed: undefined };
}

const NO_FIELDS: ObjNode = new Map();

export function packedDoc(packed: PackedInsert): DocNode {
  return {
    root: NO_FIELDS,
    alive: NONE as unknown as PackedDot[],
    deleted: NONE as unknown as PackedDot[],
    packed,
  };
}

export function isFieldEmpty(f: FieldNode): boolean {
  return (
    f.reg.length === 0 &&
    (f.obj === undefined || f.obj.size === 0) &&
    f.ctr.length === 0 &&
    (f.set === undefined || f.set.size === 0) &&
    f.seq.length === 0
  );
}

export function isDocEmpty(d: DocNode): boolean {
  return !d.packed && d.root.size === 0 && d.alive.length === 0 && d.deleted.length === 0;
}

export function docExists(d: DocNode): boolean {
  return d.packed !== undefined || (d.deleted.length === 0 && d.alive.length > 0);
}

/** Every dot in a field's subtree. */
export function fieldDots(f: FieldNode, out: PackedDot[] = []): PackedDot[] {
  for (const e of f.reg) out.push(e.dot);
  if (f.obj) objDots(f.obj, out);
  for (const e of f.ctr) out.push(e.dot);
  if (f.set) for (const e of f.set.values()) for (const a of e.adds) out.push(a.dot);
  for (const e of f.seq) out.push(e.dot);
  return out;
}

export function objDots(obj: ObjNode, out: PackedDot[] = []): PackedDot[] {
  for (const f of obj.values()) fieldDots(f, out);
  return out;
}

export function docDots(d: DocNode): PackedDot[] {
  const p = d.packed;
  if (p) return [p.base, ...Array.from({ length: p.fields }, (_, i) => packedLeaf(p, i).dot)];
  const out = objDots(d.root);
  out.push(...d.alive, ...d.deleted);
  return out;
}

/** Deep copy (but for sequences), so a transaction can work on a document and drop it if it aborts. */
export function cloneDoc(d: DocNode): DocNode {
  if (d.packed) return packedDoc(d.packed); // immutable: share it
  return {
    root: cloneObj(d.root),
    alive: [...d.alive],
    deleted: [...d.deleted],
    packed: undefined,
  };
}

function cloneObj(obj: ObjNode): ObjNode {
  const out: ObjNode = new Map();
  for (const [k, f] of obj) {
    out.set(k, {
      reg: f.reg,
      obj: f.obj && cloneObj(f.obj),
      ctr: f.ctr,
      set:
        f.set &&
        new Map([...f.set].map(([key, e]) => [key, { value: e.value, adds: [...e.adds] }])),
      // Shared, not copied: a transaction edits a sequence in place (see Transaction.record).
      seq: f.seq,
    });
  }
  return out;
}

/** The field at `path` (its first `depth` keys), or undefined. */
export function fieldAt(
  root: ObjNode,
  path: readonly string[],
  depth = path.length,
): FieldNode | undefined {
  let obj: ObjNode | undefined = root;
  let field: FieldNode | undefined;
  // Indexed: paths are frozen, and for-of over a frozen array allocates per step.
  for (let i = 0; i < depth; i++) {
    if (!obj) return undefined;
    field = obj.get(path[i]!);
    if (!field) return undefined;
    obj = field.obj;
  }
  return field;
}
