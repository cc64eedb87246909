import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { readValue, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import { InvalidValueError } from '../errors.js';
import { dotActor, dotCounter, MAX_DOT_COUNTER, type PackedDot, packDot } from './node.js';
import type { DocEdit, DocOp } from './ops.js';

/** Translates between a space's actor indexes (in memory) and actor ids (in bytes). */
export interface ActorTable {
  name(index: number): string;
  index(id: string): number;
}

const KIND_CODES = ['insert', 'delete', 'set', 'clear', 'count', 'add', 'remove'] as const;
const MAX_PATH = 64;

/**
 * The payload of a document change: the edits of one transaction, consecutive edits of one
 * collection grouped. Dots a change creates are not written: every replica numbers them the
 * same way (the actor's next dots, in op order), because it applies an actor's changes in seq
 * order. So the edits keep their order: a collection may come back after another.
 */
export function encodeEdits(edits: readonly DocEdit[], actors: ActorTable): Uint8Array {
  const groups: [string, DocEdit[]][] = [];
  for (const edit of edits) {
    const last = groups[groups.length - 1];
    if (last && last[0] === edit.collection) last[1].push(edit);
    else groups.push([edit.collection, [edit]]);
  }
  return encodeEnvelope(Tag.docChange, (w) => {
    w.varuint(groups.length);
    for (const [collection, list] of groups) {
      w.string(collection);
      w.varuint(list.length);
      for (const edit of list) {
        w.string(edit.id);
        w.varuint(edit.ops.length);
        for (const op of edit.ops) writeOp(w, op, actors, edit);
      }
    }
  });
}

function writeOp(w: Writer, op: DocOp, actors: ActorTable, edit: DocEdit): void {
  w.u8(KIND_CODES.indexOf(op.kind));
  if (op.kind !== 'insert' && op.kind !== 'delete') {
    // decodeEdits refuses longer paths: writing one would make the change unreadable.
    if (op.path.length > MAX_PATH) {
      throw new InvalidValueError(
        `${edit.collection}/${edit.id}: objects nested deeper than ${MAX_PATH} levels cannot be stored`,
      );
    }
    w.varuint(op.path.length);
    for (const key of op.path) w.string(key);
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
  w.varuint(op.covers.length);
  for (const dot of op.covers) {
    w.actor(actors.name(dotActor(dot)));
    w.varuint(dotCounter(dot));
  }
}

export function decodeEdits(bytes: Uint8Array, actors: ActorTable): DocEdit[] {
  return decodeEnvelope(bytes, Tag.docChange, (r) => {
    const edits: DocEdit[] = [];
    const collections = r.count(2);
    for (let c = 0; c < collections; c++) {
      const collection = r.string();
      if (collection.length === 0) r.fail('empty collection name');
      const docs = r.count(2);
      for (let d = 0; d < docs; d++) {
        const id = r.string();
        if (id.length === 0) r.fail('empty document id');
        const n = r.count(2);
        const ops: DocOp[] = [];
        for (let i = 0; i < n; i++) ops.push(readOp(r, actors));
        edits.push({ collection, id, ops });
      }
    }
    return edits;
  });
}

function readOp(r: Reader, actors: ActorTable): DocOp {
  const kind = KIND_CODES[r.u8()];
  if (kind === undefined) r.fail('unknown document operation');
  let path: string[] = [];
  if (kind !== 'insert' && kind !== 'delete') {
    const n = r.count(1);
    if (n === 0 || n > MAX_PATH) r.fail(`field path of length ${n}`);
    path = [];
    for (let i = 0; i < n; i++) path.push(r.string());
  }
  const value = kind === 'set' || kind === 'add' || kind === 'remove' ? readValue(r) : null;
  const inc = kind === 'count' ? r.varuint() : 0;
  const dec = kind === 'count' ? r.varuint() : 0;
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
  const covers: PackedDot[] = [];
  for (let i = 0; i < n; i++) {
    const actor = r.actor();
    const counter = r.varuint();
    if (counter === 0 || counter > MAX_DOT_COUNTER) r.fail('dot counter out of range');
    covers.push(packDot(actors.index(actor), counter));
  }
  return covers;
}
