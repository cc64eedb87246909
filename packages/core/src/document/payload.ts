import { decodeEnvelope, envelopeOf, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { smallBytes } from '../encoding/slab.js';
import { readValue, type Value, writeValue } from '../encoding/value.js';
import { releaseWriter, takeWriter, type Writer } from '../encoding/writer.js';
import { InvalidValueError } from '../errors.js';
import { dotActor, dotCounter, MAX_DOT_COUNTER, type PackedDot, packDot } from './node.js';
import type { DocEdit, DocOp, SeqEdit } from './ops.js';
import {
  readSeqEdits,
  readText,
  readValues,
  writeSeqEdits,
  writeText,
  writeValues,
} from './seq-edit-codec.js';

/** Translates between a space's actor indexes (in memory) and actor ids (in bytes). */
export interface ActorTable {
  name(index: number): string;
  index(id: string): number;
}

const KIND_CODES = [
  'insert',
  'delete',
  'set',
  'clear',
  'count',
  'add',
  'remove',
  'text',
  'list',
  'editText',
  'editList',
] as const;
const MAX_PATH = 64;

/**
 * The payload of a document change: the edits of one transaction, in the order they were
 * made. Dots a change creates are not written: every replica numbers them the same way (the
 * actor's next dots, in op order), because it applies an actor's changes in seq order.
 *
 * Collection names and field names are references into a table the payload builds as it goes
 * (a name is written once, where it is first used; later uses are one byte), so a bulk insert
 * does not repeat its field names per document. Then come the document id and the ops.
 * Edits are written as they are made (`EditEncoder`), so a transaction keeps no op objects.
 */
export class EditEncoder {
  /** Taken when the first edit is written, given back by `finish`. */
  private writer: Writer | undefined;
  private get body(): Writer {
    this.writer ??= takeWriter();
    return this.writer;
  }
  private readonly names = new Map<string, number>();
  private count = 0;
  private readonly writeName = (name: string): void => {
    const ref = this.names.get(name);
    if (ref !== undefined) {
      this.body.varuint(ref);
      return;
    }
    this.body.varuint(this.names.size);
    this.body.string(name);
    this.names.set(name, this.names.size);
  };

  constructor(private readonly actors: ActorTable) {}

  get empty(): boolean {
    return this.count === 0;
  }

  /** Writes one edit. Throws InvalidValueError for an unstorable value (the caller aborts). */
  add(collection: string, id: string, ops: readonly DocOp[]): void {
    const w = this.body;
    this.writeName(collection);
    w.string(id);
    w.varuint(ops.length);
    const edit = { collection, id, ops };
    for (const op of ops) writeOp(w, op, this.actors, edit, this.writeName);
    this.count += 1;
  }

  /** The payload. The encoder is done: its writer goes back to be reused. */
  finish(): Uint8Array {
    const body = this.body;
    // Kept by the change log, one per change: carved from shared blocks (see slab.ts).
    const out = envelopeOf(Tag.docChange, body, smallBytes);
    this.writer = undefined;
    releaseWriter(body);
    return out;
  }
}

export function encodeEdits(edits: readonly DocEdit[], actors: ActorTable): Uint8Array {
  const encoder = new EditEncoder(actors);
  for (const edit of edits) encoder.add(edit.collection, edit.id, edit.ops);
  return encoder.finish();
}

function writeOp(
  w: Writer,
  op: DocOp,
  actors: ActorTable,
  edit: DocEdit,
  writeName: (name: string) => void,
): void {
  w.u8(KIND_CODES.indexOf(op.kind));
  if (op.kind !== 'insert' && op.kind !== 'delete') {
    // decodeEdits refuses longer paths: writing one would make the change unreadable.
    if (op.path.length > MAX_PATH) {
      throw new InvalidValueError(
        `${edit.collection}/${edit.id}: objects nested deeper than ${MAX_PATH} levels cannot be stored`,
      );
    }
    w.varuint(op.path.length);
    for (const key of op.path) writeName(key);
  }
  try {
    if (op.kind === 'set' || op.kind === 'add' || op.kind === 'remove') writeValue(w, op.value);
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    const path = 'path' in op ? op.path.join('.') : '';
    throw new InvalidValueError(`${edit.collection}/${edit.id} field "${path}": ${error.message}`);
  }
  if (op.kind === 'count') {
    w.varuint(op.inc);
    w.varuint(op.dec);
  }
  if (op.kind === 'text') w.string(op.initial);
  if (op.kind === 'list') writeValues(w, op.initial);
  if (op.kind === 'editText' || op.kind === 'editList') {
    writeDot(w, actors, op.target);
    if (op.kind === 'editText') writeSeqEdits(w, op.edits, writeText);
    else writeSeqEdits(w, op.edits, writeValues);
  }
  w.varuint(op.covers.length);
  for (const dot of op.covers) writeDot(w, actors, dot);
}

function writeDot(w: Writer, actors: ActorTable, dot: PackedDot): void {
  w.actor(actors.name(dotActor(dot)));
  w.varuint(dotCounter(dot));
}

export function decodeEdits(bytes: Uint8Array, actors: ActorTable): DocEdit[] {
  return decodeEnvelope(bytes, Tag.docChange, (r) => readEdits(r, actors));
}

/**
 * The names the payload being read has read so far (later ones refer back to them by number):
 * one table for every payload, as decoding is never reentered; `count` of it are this one's.
 */
class Names {
  private readonly table: string[] = [];
  private count = 0;

  reset(): void {
    this.count = 0;
  }

  read(r: Reader): string {
    const ref = r.varuint();
    if (ref > this.count) r.fail('name reference out of range');
    if (ref === this.count) this.table[this.count++] = r.string();
    return this.table[ref]!;
  }
}

const names = new Names();

// (Arrays are made at their size where it is known: a change is decoded on every replica.)
function readEdits(r: Reader, actors: ActorTable): DocEdit[] {
  let edits: DocEdit[] | undefined;
  names.reset();
  while (r.remaining > 0) {
    const collection = names.read(r);
    if (collection.length === 0) r.fail('empty collection name');
    const id = r.string();
    if (id.length === 0) r.fail('empty document id');
    const n = r.count(2);
    const ops = new Array<DocOp>(n);
    for (let i = 0; i < n; i++) ops[i] = readOp(r, actors);
    const edit = { collection, id, ops };
    if (edits) edits.push(edit);
    else edits = [edit];
  }
  return edits ?? [];
}

function readOp(r: Reader, actors: ActorTable): DocOp {
  const kind = KIND_CODES[r.u8()];
  if (kind === undefined) r.fail('unknown document operation');
  let path: string[] = NO_PATH;
  if (kind !== 'insert' && kind !== 'delete') {
    const n = r.count(1);
    if (n === 0 || n > MAX_PATH) r.fail(`field path of length ${n}`);
    path = new Array<string>(n);
    for (let i = 0; i < n; i++) path[i] = names.read(r);
  }
  const value = kind === 'set' || kind === 'add' || kind === 'remove' ? readValue(r) : null;
  const inc = kind === 'count' ? r.varuint() : 0;
  const dec = kind === 'count' ? r.varuint() : 0;
  if (kind === 'text') {
    const [initial] = readText(r);
    return { kind, path, initial, covers: readCovers(r, actors) };
  }
  if (kind === 'list') {
    const [initial] = readValues(r);
    return { kind, path, initial, covers: readCovers(r, actors) };
  }
  if (kind === 'editText' || kind === 'editList') {
    const target = readDot(r, actors);
    const edits = kind === 'editText' ? readSeqEdits(r, readText) : readSeqEdits(r, readValues);
    if (readCovers(r, actors).length > 0) r.fail('a sequence edit covers nothing');
    return kind === 'editText'
      ? { kind, path, target, edits: edits as SeqEdit<string>[], covers: NO_COVERS }
      : { kind, path, target, edits: edits as SeqEdit<Value[]>[], covers: NO_COVERS };
  }
  const covers = readCovers(r, actors);
  switch (kind) {
    case 'insert':
    case 'delete':
      return { kind, covers };
    case 'clear':
      return { kind, path, covers };
    case 'count':
      return { kind, path, inc, dec, covers };
    default:
      return { kind, path, value, covers };
  }
}

function readCovers(r: Reader, actors: ActorTable): PackedDot[] {
  const n = r.count(2);
  const covers = new Array<PackedDot>(n);
  for (let i = 0; i < n; i++) covers[i] = readDot(r, actors);
  return covers;
}

function readDot(r: Reader, actors: ActorTable): PackedDot {
  const actor = r.actor();
  const counter = r.varuint();
  if (counter === 0 || counter > MAX_DOT_COUNTER) r.fail('dot counter out of range');
  return packDot(actors.index(actor), counter);
}

const NO_COVERS: readonly PackedDot[] = Object.freeze([]);
/** The path of an op that has none (insert, delete): never read, shared. */
const NO_PATH: string[] = [];
