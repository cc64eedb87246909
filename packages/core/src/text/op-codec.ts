import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { readValue, type Value, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import type { ListOp } from './list-crdt.js';
import type { SeqId, SeqIdRange, SeqOp } from './ops.js';
import type { TextOp } from './text-crdt.js';

// A batch of ops on the wire: an envelope (actor table), the op count, then per op a kind byte
// and its fields. An insert's id and origins are actor indexes and seqs; its content is text
// (UTF-8) or values. Deletes are id ranges.

const INSERT = 0;
const DELETE = 1;
const HAS_LEFT = 2;
const HAS_RIGHT = 4;

function writeOps<C>(w: Writer, ops: readonly SeqOp<C>[], content: (w: Writer, c: C) => void) {
  w.varuint(ops.length);
  for (const op of ops) {
    if (op.kind === 'insert') {
      w.u8(INSERT | (op.left ? HAS_LEFT : 0) | (op.right ? HAS_RIGHT : 0));
      w.actor(op.id.actor);
      w.varuint(op.id.seq);
      if (op.left) writeId(w, op.left);
      if (op.right) writeId(w, op.right);
      content(w, op.content);
    } else {
      w.u8(DELETE);
      w.varuint(op.ranges.length);
      for (const range of op.ranges) {
        w.actor(range.actor);
        w.varuint(range.seq);
        w.varuint(range.len);
      }
    }
  }
}

function writeId(w: Writer, id: SeqId): void {
  w.actor(id.actor);
  w.varuint(id.seq);
}

function readOps<C>(r: Reader, content: (r: Reader) => C, length: (c: C) => number): SeqOp<C>[] {
  const n = r.count(2);
  const ops: SeqOp<C>[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if ((kind & 1) === INSERT) {
      if (kind > (HAS_LEFT | HAS_RIGHT)) r.fail(`invalid op kind ${kind}`);
      const id = readId(r);
      const left = kind & HAS_LEFT ? readId(r) : null;
      const right = kind & HAS_RIGHT ? readId(r) : null;
      const c = content(r);
      if (length(c) === 0) r.fail('an insert of nothing');
      if (!Number.isSafeInteger(id.seq + length(c))) r.fail('insert seq out of range');
      ops.push({ kind: 'insert', id, left, right, content: c });
    } else {
      if (kind !== DELETE) r.fail(`invalid op kind ${kind}`);
      const count = r.count(3);
      const ranges: SeqIdRange[] = [];
      for (let j = 0; j < count; j++) {
        const actor = r.actor();
        const seq = r.varuint();
        const len = r.varuint();
        if (len === 0 || !Number.isSafeInteger(seq + len)) r.fail('invalid deleted range');
        ranges.push({ actor, seq, len });
      }
      ops.push({ kind: 'delete', ranges });
    }
  }
  return ops;
}

function readId(r: Reader): SeqId {
  return { actor: r.actor(), seq: r.varuint() };
}

/** Encodes text ops (e.g. the ops of one change, or everything a peer lacks) as bytes. */
export function encodeTextOps(ops: readonly TextOp[]): Uint8Array {
  return encodeEnvelope(Tag.textOps, (w) => writeOps(w, ops, (w, s) => w.string(s)));
}

/** Decodes `encodeTextOps`' bytes; throws DecodeError on anything else. */
export function decodeTextOps(bytes: Uint8Array): TextOp[] {
  return decodeEnvelope(bytes, Tag.textOps, (r) =>
    readOps(
      r,
      (r) => r.string(),
      (s) => s.length,
    ),
  );
}

export function encodeListOps(ops: readonly ListOp[]): Uint8Array {
  return encodeEnvelope(Tag.listOps, (w) =>
    writeOps(w, ops, (w, values: Value[]) => {
      w.varuint(values.length);
      for (const v of values) writeValue(w, v);
    }),
  );
}

export function decodeListOps(bytes: Uint8Array): ListOp[] {
  return decodeEnvelope(bytes, Tag.listOps, (r) =>
    readOps(
      r,
      (r) => {
        const n = r.count(1);
        const values: Value[] = [];
        for (let i = 0; i < n; i++) values.push(readValue(r));
        return values;
      },
      (values) => values.length,
    ),
  );
}
