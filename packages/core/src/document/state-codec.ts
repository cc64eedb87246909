import { formatVersion, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { readValue, setOwn, type Value, valueKey, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import { forEachInsertLeaf, MAX_FIELD_DEPTH } from './insert-leaves.js';
import {
  type CounterEntry,
  type DocNode,
  dotActor,
  dotCounter,
  emptyField,
  type FieldNode,
  fieldAt,
  isDocEmpty,
  isFieldEmpty,
  MAX_DOT_COUNTER,
  type ObjNode,
  objDots,
  type PackedDot,
  type PackedInsert,
  packDot,
  packedDoc,
  type RegEntry,
  type SetEntry,
  type Stamped,
} from './node.js';
import { isPlainObject } from './plain.js';
import { deepFreeze, readDoc } from './read.js';
import { readSeqEntries, writeSeqEntries } from './seq-state.js';
import { SpaceState } from './space-state.js';

const TREE = 0;
const PACKED = 1;
const STAMPED = 2;
const HAS_REG = 1;
const HAS_OBJ = 2;
const HAS_CTR = 4;
const HAS_SET = 8;
/** Text and list fields (format 2 on). */
const HAS_SEQ = 16;
/**
 * The envelope version (encoding/envelope.ts) from which counter entries and set adds carry
 * their stamp. Version 1 did not store them: they read as 0.0, older than any write, as every
 * reader took them before (a register written concurrently with them then wins).
 */
const STAMPED_ENTRIES = 2;

/**
 * Writes every document of a space (for snapshots) in format `version`: the current one (its
 * envelope's); tests write version 1 too, to check it is still read.
 */
export function writeSpaceState(
  w: Writer,
  state: SpaceState,
  version = formatVersion(Tag.spaceState),
): void {
  const stamped = version >= STAMPED_ENTRIES;
  const actors = state.actorIds();
  w.varuint(actors.length);
  actors.forEach((id, i) => {
    w.actor(id);
    w.varuint(state.dotCounter(i));
  });
  w.varuint(state.collections.size);
  for (const [name, docs] of state.collections) {
    w.string(name);
    w.varuint(docs.size);
    for (const [id, node] of docs) {
      w.string(id);
      const packed = node.packed ?? packTree(node, id, state);
      if (packed) {
        writePacked(w, state, packed);
        continue;
      }
      w.u8(TREE);
      writeDots(w, state, node.alive);
      writeDots(w, state, node.deleted);
      writeObj(w, state, stamped, node.root);
    }
  }
}

/**
 * A tree whose every leaf is one register value (no conflicts, counters or sets) and that was
 * inserted once and never deleted is written packed: its plain value and each leaf's dot and
 * stamp. Opening then decodes a value per document instead of a tree of entries.
 */
function packTree(node: DocNode, id: string, state: SpaceState): PackedInsert | undefined {
  if (node.alive.length !== 1 || node.deleted.length !== 0) return undefined;
  const doc = readDoc(node, id, (i) => state.name(i));
  if (!doc) return undefined;
  const { id: _id, ...fields } = doc;
  const stamps: number[] = [];
  let simple = true;
  forEachInsertLeaf(fields, (path) => {
    const field = fieldAt(node.root, path);
    const entry = field?.reg[0];
    if (
      !field ||
      !entry ||
      field.reg.length !== 1 ||
      field.obj?.size ||
      field.ctr.length ||
      field.set?.size
    ) {
      simple = false;
      return;
    }
    stamps.push(entry.dot, entry.wall, entry.logical);
  });
  // Every dot of the tree must be a leaf of the value, or packing would lose it.
  if (!simple || stamps.length / 3 !== objDots(node.root).length) return undefined;
  const base = node.alive[0]!;
  return { base, wall: 0, logical: 0, fields: stamps.length / 3, stamps, doc };
}

function writePacked(w: Writer, state: SpaceState, p: PackedInsert): void {
  w.u8(p.stamps ? STAMPED : PACKED);
  writeDot(w, state, p.base);
  if (p.stamps) {
    w.varuint(p.fields);
    for (let i = 0; i < p.stamps.length; i += 3) {
      writeDot(w, state, p.stamps[i]!);
      w.varuint(p.stamps[i + 1]!);
      w.varuint(p.stamps[i + 2]!);
    }
  } else {
    w.varuint(p.wall);
    w.varuint(p.logical);
    w.varuint(p.fields);
  }
  const { id: _id, ...fields } = p.doc;
  writeValue(w, fields);
}

function readPacked(r: Reader, state: SpaceState, id: string, form: number): PackedInsert {
  const base = readDot(r, state);
  let wall = 0;
  let logical = 0;
  let stamps: number[] | undefined;
  let count: number;
  if (form === STAMPED) {
    count = r.count(3);
    stamps = [];
    for (let i = 0; i < count; i++) stamps.push(readDot(r, state), r.varuint(), r.varuint());
  } else {
    wall = r.varuint();
    logical = r.varuint();
    count = r.varuint();
    if (dotCounter(base) + count > state.dotCounter(dotActor(base)))
      r.fail('dot beyond its actor’s counter');
  }
  const value = readValue(r);
  if (!isPlainObject(value)) return r.fail('a packed document is not an object');
  let leaves = 0;
  try {
    forEachInsertLeaf(value, () => {
      leaves += 1;
    });
  } catch {
    r.fail('a packed document nests too deep');
  }
  if (leaves !== count) r.fail('a packed document does not match its dots');
  const doc: { [field: string]: Value } = { id };
  for (const key of Object.keys(value)) {
    if (key === 'id') r.fail('a packed document has an id field');
    setOwn(doc, key, value[key]);
  }
  return { base, wall, logical, fields: count, stamps, doc: deepFreeze(doc) };
}

function writeDot(w: Writer, state: SpaceState, dot: PackedDot): void {
  w.actor(state.name(dotActor(dot)));
  w.varuint(dotCounter(dot));
}

function writeDots(w: Writer, state: SpaceState, dots: readonly PackedDot[]): void {
  w.varuint(dots.length);
  for (const d of dots) writeDot(w, state, d);
}

function writeStamped(w: Writer, state: SpaceState, e: Stamped, stamped = true): void {
  writeDot(w, state, e.dot);
  if (!stamped) return;
  w.varuint(e.wall);
  w.varuint(e.logical);
}

function writeObj(w: Writer, state: SpaceState, stamped: boolean, obj: ObjNode): void {
  w.varuint(obj.size);
  for (const [key, f] of obj) {
    w.string(key);
    const flags =
      (f.reg.length ? HAS_REG : 0) |
      (f.obj?.size ? HAS_OBJ : 0) |
      (f.ctr.length ? HAS_CTR : 0) |
      (f.set?.size ? HAS_SET : 0) |
      (f.seq.length ? HAS_SEQ : 0);
    if (flags & HAS_SEQ && !stamped)
      throw new RangeError('format 1 cannot hold text or list fields');
    w.u8(flags);
    if (flags & HAS_REG) {
      w.varuint(f.reg.length);
      for (const e of f.reg) {
        writeStamped(w, state, e);
        writeValue(w, e.value);
      }
    }
    if (flags & HAS_OBJ) writeObj(w, state, stamped, f.obj!);
    if (flags & HAS_CTR) {
      w.varuint(f.ctr.length);
      for (const e of f.ctr) {
        writeStamped(w, state, e, stamped);
        w.varuint(e.inc);
        w.varuint(e.dec);
      }
    }
    if (flags & HAS_SET) {
      w.varuint(f.set!.size);
      for (const e of f.set!.values()) {
        writeValue(w, e.value);
        w.varuint(e.adds.length);
        for (const a of e.adds) writeStamped(w, state, a, stamped);
      }
    }
    if (flags & HAS_SEQ) writeSeqEntries(w, f.seq, (dot) => writeDot(w, state, dot));
  }
}

/**
 * Reads what writeSpaceState wrote in format `version` (its envelope's); every dot must be one
 * its actor has created.
 */
export function readSpaceState(r: Reader, version: number): SpaceState {
  const stamped = version >= STAMPED_ENTRIES;
  const state = new SpaceState();
  const nActors = r.count(2);
  for (let i = 0; i < nActors; i++) {
    const id = r.actor();
    const index = state.index(id);
    if (index !== i) r.fail('duplicate actor in space state');
    const counter = r.varuint();
    if (counter > MAX_DOT_COUNTER) r.fail('dot counter out of range');
    state.setDotCounter(index, counter);
  }
  const nCollections = r.count(2);
  for (let c = 0; c < nCollections; c++) {
    const name = r.string();
    if (name.length === 0 || state.collections.has(name)) r.fail('invalid collection name');
    const docs = new Map<string, DocNode>();
    state.collections.set(name, docs);
    const nDocs = r.count(4);
    for (let d = 0; d < nDocs; d++) {
      const id = r.string();
      if (id.length === 0 || docs.has(id)) r.fail('invalid document id');
      const form = r.u8();
      if (form === PACKED || form === STAMPED) {
        docs.set(id, packedDoc(readPacked(r, state, id, form)));
        continue;
      }
      if (form !== TREE) r.fail('unknown document form');
      const node: DocNode = {
        alive: readDots(r, state),
        deleted: readDots(r, state),
        root: readObj(r, state, stamped, 0),
        packed: undefined,
      };
      if (isDocEmpty(node)) r.fail('empty document');
      docs.set(id, node);
    }
  }
  return state;
}

function readDot(r: Reader, state: SpaceState): PackedDot {
  const actor = r.actor();
  const index = state.index(actor);
  const counter = r.varuint();
  if (counter === 0 || counter > state.dotCounter(index)) r.fail('dot beyond its actor’s counter');
  return packDot(index, counter);
}

function readDots(r: Reader, state: SpaceState): PackedDot[] {
  const n = r.count(2);
  const dots: PackedDot[] = [];
  for (let i = 0; i < n; i++) dots.push(readDot(r, state));
  return dots;
}

function readObj(r: Reader, state: SpaceState, stamped: boolean, depth: number): ObjNode {
  // (As deep as a document can nest them: one decoded deeper could not be written again.)
  if (depth >= MAX_FIELD_DEPTH) r.fail(`objects nested deeper than ${MAX_FIELD_DEPTH} levels`);
  const n = r.count(2);
  const obj: ObjNode = new Map();
  for (let i = 0; i < n; i++) {
    const key = r.string();
    if (obj.has(key)) r.fail('duplicate field');
    const flags = r.u8();
    if (flags === 0 || flags > (stamped ? 31 : 15)) r.fail('invalid field flags');
    const f: FieldNode = emptyField();
    if (flags & HAS_REG) f.reg = readRegs(r, state);
    if (flags & HAS_OBJ) f.obj = readObj(r, state, stamped, depth + 1);
    if (flags & HAS_CTR) f.ctr = readCounters(r, state, stamped);
    if (flags & HAS_SET) f.set = readSet(r, state, stamped);
    if (flags & HAS_SEQ)
      f.seq = readSeqEntries(
        r,
        () => readDot(r, state),
        (i) => state.name(i),
      );
    if (isFieldEmpty(f) || (f.obj && f.obj.size === 0)) r.fail('empty field');
    obj.set(key, f);
  }
  return obj;
}

function readRegs(r: Reader, state: SpaceState): RegEntry[] {
  const n = r.count(4);
  const out: RegEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      dot: readDot(r, state),
      wall: r.varuint(),
      logical: r.varuint(),
      value: readValue(r),
    });
  }
  return out;
}

/** A dot and its stamp (0.0 in a format that did not store it). */
function readStamped(r: Reader, state: SpaceState, stamped: boolean): Stamped {
  const dot = readDot(r, state);
  return stamped ? { dot, wall: r.varuint(), logical: r.varuint() } : { dot, wall: 0, logical: 0 };
}

function readCounters(r: Reader, state: SpaceState, stamped: boolean): CounterEntry[] {
  const n = r.count(4);
  const out: CounterEntry[] = [];
  for (let i = 0; i < n; i++)
    out.push({ ...readStamped(r, state, stamped), inc: r.varuint(), dec: r.varuint() });
  return out;
}

function readSet(r: Reader, state: SpaceState, stamped: boolean): Map<string, SetEntry> {
  const n = r.count(3);
  const out = new Map<string, SetEntry>();
  for (let i = 0; i < n; i++) {
    const value = readValue(r);
    const key = valueKey(value);
    if (out.has(key)) r.fail('duplicate set element');
    const nAdds = r.count(stamped ? 4 : 2);
    if (nAdds === 0) r.fail('set element without dots');
    const adds: Stamped[] = [];
    for (let a = 0; a < nAdds; a++) adds.push(readStamped(r, state, stamped));
    out.set(key, { value, adds });
  }
  return out;
}
