import type { Reader } from '../encoding/reader.js';
import { readValue, type Value, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import type { SeqId, SeqIdRange } from '../text/ops.js';
import type { SeqEdit } from './ops.js';

// The edits of a text or list field inside a document change: a count, then per edit a kind
// byte and its fields. Actor ids are indexes into the change envelope's actor table, so an
// edit next to the writer's own text costs a byte per id plus the seq.

const INSERT = 0;
const DELETE = 1;
const HAS_LEFT = 2;
const HAS_RIGHT = 4;
/** Longest run of units one edit may insert (a guard against absurd lengths in bytes). */
const MAX_UNITS = 2 ** 32;

export function writeSeqEdits<C>(
  w: Writer,
  edits: readonly SeqEdit<C>[],
  content: (w: Writer, c: C) => void,
): void {
  w.varuint(edits.length);
  for (const edit of edits) {
    if (edit.kind === 'insert') {
      w.u8(INSERT | (edit.left ? HAS_LEFT : 0) | (edit.right ? HAS_RIGHT : 0));
      if (edit.left) writeId(w, edit.left);
      if (edit.right) writeId(w, edit.right);
      content(w, edit.content);
    } else {
      w.u8(DELETE);
      w.varuint(edit.ranges.length);
      for (const range of edit.ranges) {
        w.actor(range.actor);
        w.varuint(range.seq);
        w.varuint(range.len);
      }
    }
  }
}

export function writeText(w: Writer, text: string): void {
  w.string(text);
}

export function writeValues(w: Writer, values: readonly Value[]): void {
  w.varuint(values.length);
  for (const v of values) writeValue(w, v);
}

function writeId(w: Writer, id: SeqId): void {
  w.actor(id.actor);
  w.varuint(id.seq);
}

/** Reads `writeSeqEdits`' bytes; `content` reads one insert's content and returns its length. */
export function readSeqEdits<C>(r: Reader, content: (r: Reader) => [C, number]): SeqEdit<C>[] {
  const n = r.count(2);
  if (n === 0) r.fail('a sequence edit with no edits');
  const edits: SeqEdit<C>[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if ((kind & 1) === INSERT) {
      if (kind > (HAS_LEFT | HAS_RIGHT)) r.fail(`invalid sequence edit kind ${kind}`);
      const left = kind & HAS_LEFT ? readId(r) : null;
      const right = kind & HAS_RIGHT ? readId(r) : null;
      const [c, length] = content(r);
      if (length === 0) r.fail('an insert of nothing');
      if (length > MAX_UNITS) r.fail('an insert of too many units');
      edits.push({ kind: 'insert', left, right, content: c });
    } else {
      if (kind !== DELETE) r.fail(`invalid sequence edit kind ${kind}`);
      const count = r.count(3);
      if (count === 0) r.fail('a delete of nothing');
      const ranges: SeqIdRange[] = [];
      for (let j = 0; j < count; j++) {
        const actor = r.actor();
        const seq = r.varuint();
        const len = r.varuint();
        if (len === 0 || len > MAX_UNITS || !Number.isSafeInteger(seq + len))
          r.fail('invalid deleted range');
        ranges.push({ actor, seq, len });
      }
      edits.push({ kind: 'delete', ranges });
    }
  }
  return edits;
}

function readId(r: Reader): SeqId {
  return { actor: r.actor(), seq: r.varuint() };
}

export function readText(r: Reader): [string, number] {
  const text = r.string();
  if (!text.isWellFormed()) r.fail('text with a lone surrogate');
  return [text, text.length];
}

export function readValues(r: Reader): [Value[], number] {
  const n = r.count(1);
  const values: Value[] = [];
  for (let i = 0; i < n; i++) values.push(readValue(r));
  return [values, n];
}
