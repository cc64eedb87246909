import { valueKey } from '../encoding/value.js';
import { ListCrdt } from '../text/list-crdt.js';
import { TextCrdt } from '../text/text-crdt.js';
import { forEachInsertLeaf } from './insert-leaves.js';
import {
  type DocNode,
  emptyField,
  type FieldNode,
  fieldAt,
  isFieldEmpty,
  type ObjNode,
  type PackedDot,
  packedLeaf,
  type SeqEntry,
} from './node.js';
import type { DocOp } from './ops.js';
import { applySeqEdits } from './seq-apply.js';

/** Where the dots of a change come from, and the stamp its entries (dots) carry. */
export interface ApplyContext {
  /** The writing actor's id: the author of the units its text and list edits insert. */
  readonly actorId: string;
  readonly wall: number;
  readonly logical: number;
  /** The next dot of the change's actor (each creating op takes one). */
  nextDot(): PackedDot;
}

/** Applies one document's operations in place. */
export function applyOps(doc: DocNode, ops: readonly DocOp[], ctx: ApplyContext): void {
  unpack(doc);
  for (const op of ops) applyOp(doc, op, ctx);
}

/**
 * Expands a packed document (node.ts) into its field tree, in place: the alive marker takes
 * the insert's base dot and each leaf the next one, in insert order.
 */
export function unpack(doc: DocNode): void {
  const packed = doc.packed;
  if (!packed) return;
  doc.packed = undefined;
  doc.root = new Map();
  doc.alive = [packed.base];
  doc.deleted = [];
  const { id: _id, ...fields } = packed.doc;
  let i = 0;
  forEachInsertLeaf(fields, (path, value) => {
    const { dot, wall, logical } = packedLeaf(packed, i++);
    fieldFor(doc.root, path).reg = [{ dot, wall, logical, value }];
  });
  if (i !== packed.fields)
    throw new Error('Weft internal error: a packed document does not match its dots');
}

/** The dots an operation covers (removes): what removing needs of a set. */
interface Covers {
  readonly size: number;
  has(dot: PackedDot): boolean;
}

/** A few dots (mostly one: the value a write replaces), searched as they are. */
class FewDots implements Covers {
  constructor(private readonly dots: readonly PackedDot[]) {}

  get size(): number {
    return this.dots.length;
  }

  has(dot: PackedDot): boolean {
    return this.dots.includes(dot);
  }
}

const NOTHING: Covers = new FewDots([]);

/** Covers as a set, but no Set (with its hash table) for a few. */
function coversOf(dots: readonly PackedDot[]): Covers {
  if (dots.length === 0) return NOTHING;
  return dots.length <= 8 ? new FewDots(dots) : new Set(dots);
}

function applyOp(doc: DocNode, op: DocOp, ctx: ApplyContext): void {
  const covers = coversOf(op.covers);
  switch (op.kind) {
    case 'insert':
    case 'delete': {
      if (covers.size > 0) {
        removeFromObj(doc.root, covers);
        doc.alive = doc.alive.filter((d) => !covers.has(d));
        doc.deleted = doc.deleted.filter((d) => !covers.has(d));
      }
      (op.kind === 'insert' ? doc.alive : doc.deleted).push(ctx.nextDot());
      return;
    }
    case 'clear':
      if (covers.size > 0) removeAt(doc.root, op.path, covers);
      return;
    case 'set': {
      const entry = { dot: ctx.nextDot(), wall: ctx.wall, logical: ctx.logical, value: op.value };
      const field = writtenField(doc.root, op.path, covers);
      field.reg = field.reg.length === 0 ? [entry] : [...field.reg, entry];
      return;
    }
    case 'count': {
      const field = writtenField(doc.root, op.path, covers);
      field.ctr = [
        ...field.ctr,
        { dot: ctx.nextDot(), wall: ctx.wall, logical: ctx.logical, inc: op.inc, dec: op.dec },
      ];
      return;
    }
    case 'add': {
      const field = writtenField(doc.root, op.path, covers);
      if (!field.set) field.set = new Map();
      const key = valueKey(op.value);
      const add = { dot: ctx.nextDot(), wall: ctx.wall, logical: ctx.logical };
      const entry = field.set.get(key);
      if (entry) entry.adds.push(add);
      else field.set.set(key, { value: op.value, adds: [add] });
      return;
    }
    case 'remove':
      if (covers.size > 0) removeAt(doc.root, op.path, covers);
      return;
    case 'text':
    case 'list': {
      const field = writtenField(doc.root, op.path, covers);
      field.seq = [...field.seq, newSequence(op, ctx)];
      return;
    }
    case 'editText':
    case 'editList': {
      const field = fieldAt(doc.root, op.path);
      const kind = op.kind === 'editText' ? 'text' : 'list';
      const entry = field?.seq.find((e) => e.dot === op.target && e.kind === kind);
      if (entry === undefined) return; // removed by a write this one did not see
      applySeqEdits(entry, op.edits, ctx.actorId);
      return;
    }
  }
}

/** A new text or list field holding its initial content, as the writer's first units. */
function newSequence(op: Extract<DocOp, { kind: 'text' | 'list' }>, ctx: ApplyContext): SeqEntry {
  const stamp = { dot: ctx.nextDot(), wall: ctx.wall, logical: ctx.logical };
  const first = { kind: 'insert', id: { actor: ctx.actorId, seq: 0 }, left: null, right: null };
  if (op.kind === 'text') {
    const crdt = new TextCrdt(ctx.actorId);
    if (op.initial.length > 0) crdt.apply({ ...first, kind: 'insert', content: op.initial });
    return { kind: 'text', ...stamp, crdt };
  }
  const crdt = new ListCrdt(ctx.actorId);
  if (op.initial.length > 0) crdt.apply({ ...first, kind: 'insert', content: [...op.initial] });
  return { kind: 'list', ...stamp, crdt };
}

/** The field at `path`, created (with its parents) if missing. */
export function fieldFor(root: ObjNode, path: readonly string[]): FieldNode {
  let obj = root;
  let field: FieldNode | undefined;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    field = obj.get(key);
    if (!field) {
      field = emptyField();
      obj.set(key, field);
    }
    if (i < path.length - 1) {
      if (!field.obj) field.obj = new Map();
      obj = field.obj;
    }
  }
  if (!field) throw new RangeError('an operation path needs at least one field');
  return field;
}

/**
 * The field at `path` (made if missing) with the covered dots removed, for an operation that
 * writes into it next: nothing is pruned that would be made again at once (a map emptied and
 * filled again gives up its table and makes a new one).
 */
function writtenField(root: ObjNode, path: readonly string[], covers: Covers): FieldNode {
  const field = fieldFor(root, path);
  if (covers.size > 0) removeFromField(field, covers);
  return field;
}

/** Removes covered dots in the subtree at `path`, pruning what becomes empty. */
function removeAt(root: ObjNode, path: readonly string[], covers: Covers): void {
  const field = fieldAt(root, path);
  if (!field) return;
  removeFromField(field, covers);
  // Prune empty fields bottom-up.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parent = depth === 0 ? root : fieldAt(root, path, depth)!.obj!;
    const key = path[depth]!;
    const f = parent.get(key)!;
    if (f.obj && f.obj.size === 0) f.obj = undefined;
    if (!isFieldEmpty(f)) break;
    parent.delete(key);
  }
}

function removeFromObj(obj: ObjNode, covers: Covers): void {
  for (const [key, field] of obj) {
    removeFromField(field, covers);
    if (isFieldEmpty(field)) obj.delete(key);
  }
}

function removeFromField(field: FieldNode, covers: Covers): void {
  if (field.reg.length > 0) field.reg = field.reg.filter((e) => !covers.has(e.dot));
  if (field.ctr.length > 0) field.ctr = field.ctr.filter((e) => !covers.has(e.dot));
  if (field.set) {
    for (const [key, entry] of field.set) {
      entry.adds = entry.adds.filter((a) => !covers.has(a.dot));
      if (entry.adds.length === 0) field.set.delete(key);
    }
    if (field.set.size === 0) field.set = undefined;
  }
  if (field.obj) {
    removeFromObj(field.obj, covers);
    if (field.obj.size === 0) field.obj = undefined;
  }
  if (field.seq.length > 0) field.seq = field.seq.filter((e) => !covers.has(e.dot));
}
