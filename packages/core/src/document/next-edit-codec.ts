import { FORMAT_VERSION, Tag } from '../encoding/envelope.js';
import { Reader } from '../encoding/reader.js';
import type { Value } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import type { SeqId, SeqIdRange } from '../text/ops.js';
import type { EditContext } from './edit-context.js';
import type { DocEdit, DocOp, SeqEdit } from './ops.js';
import { readText, readValues, writeText, writeValues } from './seq-edit-codec.js';

// A continuation payload (Tag.docChangeNext): a change whose only op edits the same text or
// list field as the change before it in its run (EditContext), so the collection, document,
// field path and target are not written again, and origins are mostly predicted:
//
//   version, tag, actor table (the actors other than the run's author), edit count, edits
//
// Actor references are 0 for the run's author (implicit: it is the run's actor) and i + 1 for
// entry i of the table. A seq is written as a zigzag delta from the context's `ref` (each id
// written moves it there). Per edit a kind byte:
//   insert: 0 | left << 1 | right << 3, then the ids the forms need, then the content
//     left:  NONE (the start), NEXT (right after the last insert: its left origin + its
//            length, same actor), ID (written out)
//     right: NONE (the end), SAME (the last insert's right origin), ID (written out)
//   delete: 1, a range count, per range: actor, seq, length.
// Every choice is canonical (ID only when no prediction holds, the table exactly the actors
// used, in order of first use, and never the author): the decoder refuses any other form.

const INSERT = 0;
const DELETE = 1;
const LEFT_NONE = 0;
const LEFT_NEXT = 1;
const LEFT_ID = 2;
const RIGHT_NONE = 0;
const RIGHT_SAME = 1;
const RIGHT_ID = 2;
/** Longest run of units one edit may insert (as the full form: a guard against absurd lengths). */
const MAX_UNITS = 2 ** 32;

/**
 * Writes continuation payloads edit by edit (a text splice writes one without making op
 * objects): `begin` with the payload's writer, then `insert`/`deleteRange`s in order, then
 * `finish`. Updates the context as it goes, as the reader will.
 */
export class NextEditWriter {
  /** The payload's writer; the edits go right after a header that names no other actor. */
  private w!: Writer;
  private readonly extras: string[] = [];
  private ctx!: EditContext;
  private rangesLeft = 0;

  begin(ctx: EditContext, edits: number, out: Writer): void {
    this.ctx = ctx;
    this.w = out;
    out.reset();
    out.u8(FORMAT_VERSION);
    out.u8(Tag.docChangeNext);
    out.u8(0); // the actor table: rewritten by `finish` if an edit names another actor
    if (this.extras.length > 0) this.extras.length = 0;
    out.varuint(edits);
  }

  /** An insert whose content `content` writes (`length` units). */
  insert<C>(
    leftActor: string | null,
    leftSeq: number,
    rightActor: string | null,
    rightSeq: number,
    content: C,
    length: number,
    write: (w: Writer, content: C) => void,
  ): void {
    const ctx = this.ctx;
    const w = this.w;
    const left =
      leftActor === null
        ? LEFT_NONE
        : ctx.predictsLeft && leftActor === ctx.leftActor && leftSeq === ctx.nextLeftSeq
          ? LEFT_NEXT
          : LEFT_ID;
    const right =
      rightActor === null
        ? RIGHT_NONE
        : ctx.predictsRight && rightActor === ctx.rightActor && rightSeq === ctx.rightSeq
          ? RIGHT_SAME
          : RIGHT_ID;
    w.u8(INSERT | (left << 1) | (right << 3));
    if (left === LEFT_ID) this.id(leftActor!, leftSeq);
    if (right === RIGHT_ID) this.id(rightActor!, rightSeq);
    write(w, content);
    ctx.noteInsert(leftActor, leftSeq, length, rightActor, rightSeq);
  }

  /** Starts a delete of `ranges` ranges, each written by `deleteRange`. */
  deleteStart(ranges: number): void {
    this.w.u8(DELETE);
    this.w.varuint(ranges);
    this.rangesLeft = ranges;
  }

  deleteRange(actor: string, seq: number, len: number): void {
    this.id(actor, seq);
    this.w.varuint(len);
    if (--this.rangesLeft === 0) this.ctx.noteDelete(seq);
  }

  private id(actor: string, seq: number): void {
    const ctx = this.ctx;
    let ref = 0;
    if (actor !== ctx.author) {
      const found = this.extras.indexOf(actor);
      ref = found >= 0 ? found + 1 : this.extras.push(actor);
    }
    this.w.varuint(ref);
    this.w.varint(seq - ctx.ref);
    ctx.ref = seq;
  }

  /** Completes the payload: the actor table, if an edit named actors other than the author. */
  finish(): void {
    if (this.extras.length === 0) return;
    const w = this.w;
    const edits = w.written().slice(HEADER);
    w.reset();
    w.u8(FORMAT_VERSION);
    w.u8(Tag.docChangeNext);
    w.varuint(this.extras.length);
    for (const actor of this.extras) w.string(actor);
    w.raw(edits);
  }
}

/** Version, tag and an empty actor table. */
const HEADER = 3;

/** Writes the edits of a sequence op as a continuation of `ctx` (which must match its field). */
export function writeNextEdits(
  out: Writer,
  writer: NextEditWriter,
  ctx: EditContext,
  edits: readonly SeqEdit<string>[] | readonly SeqEdit<Value[]>[],
): void {
  const text = ctx.kind === 'editText';
  writer.begin(ctx, edits.length, out);
  for (const edit of edits as readonly SeqEdit<string | Value[]>[]) {
    if (edit.kind === 'delete') {
      writer.deleteStart(edit.ranges.length);
      for (const r of edit.ranges) writer.deleteRange(r.actor, r.seq, r.len);
      continue;
    }
    const { left, right, content } = edit;
    writer.insert(
      left?.actor ?? null,
      left?.seq ?? 0,
      right?.actor ?? null,
      right?.seq ?? 0,
      content,
      content.length,
      (text ? writeText : writeValues) as (w: Writer, c: string | Value[]) => void,
    );
  }
  writer.finish();
}

/**
 * Reads a continuation payload against `ctx` (updating it): one document edit with one op.
 * Throws DecodeError for bytes that are not one, or when the context holds no field.
 */
export function readNextEdits(bytes: Uint8Array, ctx: EditContext): DocEdit[] {
  return new NextEditReader(bytes, ctx).read();
}

/** One continuation being read (a class, not closures: this runs per received keystroke). */
class NextEditReader {
  private readonly r: Reader;
  private extras: string[] = NO_EXTRAS;
  /** How many table entries were used so far: a new one is always the next entry. */
  private used = 0;

  constructor(
    bytes: Uint8Array,
    private readonly ctx: EditContext,
  ) {
    this.r = new Reader(bytes);
  }

  read(): DocEdit[] {
    const { r, ctx } = this;
    if (r.u8() !== FORMAT_VERSION) r.fail('unsupported format version of docChangeNext');
    if (r.u8() !== Tag.docChangeNext) r.fail('expected docChangeNext');
    if (ctx.collection === undefined) r.fail('a continuation with no change before it to go on');
    const extras = r.count(2);
    if (extras > 0) this.extras = readExtras(r, extras, ctx.author);
    const text = ctx.kind === 'editText';
    const n = r.count(2);
    if (n === 0) r.fail('a sequence edit with no edits');
    const edits: SeqEdit<string | Value[]>[] = [];
    for (let i = 0; i < n; i++) edits.push(this.edit(text));
    r.end();
    if (this.used !== this.extras.length) r.fail('an actor table entry that is never used');
    const { collection, id, path, target } = ctx;
    const op: DocOp = text
      ? { kind: 'editText', path, target, edits: edits as SeqEdit<string>[], covers: NO_COVERS }
      : { kind: 'editList', path, target, edits: edits as SeqEdit<Value[]>[], covers: NO_COVERS };
    return [{ collection: collection!, id, ops: [op] }];
  }

  private edit(text: boolean): SeqEdit<string | Value[]> {
    const { r, ctx } = this;
    const kind = r.u8();
    if (kind === DELETE) {
      const count = r.count(3);
      if (count === 0) r.fail('a delete of nothing');
      const ranges: SeqIdRange[] = [];
      for (let j = 0; j < count; j++) {
        const actor = this.actor();
        const seq = this.seq();
        const len = r.varuint();
        if (len === 0 || len > MAX_UNITS || !Number.isSafeInteger(seq + len))
          r.fail('invalid deleted range');
        ranges.push({ actor, seq, len });
      }
      ctx.noteDelete(ranges[ranges.length - 1]!.seq);
      return { kind: 'delete', ranges };
    }
    const leftForm = (kind >> 1) & 3;
    const rightForm = (kind >> 3) & 3;
    if ((kind & 1) !== INSERT || kind >> 5 !== 0 || leftForm > LEFT_ID || rightForm > RIGHT_ID)
      r.fail(`invalid sequence edit kind ${kind}`);
    let left: SeqId | null = null;
    if (leftForm === LEFT_NEXT) {
      if (!ctx.predictsLeft) r.fail('a predicted left origin with no insert before it');
      if (!Number.isSafeInteger(ctx.nextLeftSeq)) r.fail('seq out of range');
      left = { actor: ctx.leftActor!, seq: ctx.nextLeftSeq };
    } else if (leftForm === LEFT_ID) {
      const actor = this.actor();
      left = { actor, seq: this.seq() };
      if (ctx.predictsLeft && actor === ctx.leftActor && left.seq === ctx.nextLeftSeq)
        r.fail('a left origin written out where it is predicted');
    }
    let right: SeqId | null = null;
    if (rightForm === RIGHT_SAME) {
      if (!ctx.predictsRight) r.fail('a repeated right origin with no insert before it');
      right = { actor: ctx.rightActor!, seq: ctx.rightSeq };
    } else if (rightForm === RIGHT_ID) {
      const actor = this.actor();
      right = { actor, seq: this.seq() };
      if (ctx.predictsRight && actor === ctx.rightActor && right.seq === ctx.rightSeq)
        r.fail('a right origin written out where it is predicted');
    }
    const [content, length] = text ? readText(r) : readValues(r);
    if (length === 0) r.fail('an insert of nothing');
    if (length > MAX_UNITS) r.fail('an insert of too many units');
    ctx.noteInsert(
      left === null ? null : left.actor,
      left === null ? 0 : left.seq,
      length,
      right === null ? null : right.actor,
      right === null ? 0 : right.seq,
    );
    return { kind: 'insert', left, right, content };
  }

  /** An actor reference: 0 the author, i + 1 table entry i (the next unused one, if new). */
  private actor(): string {
    const ref = this.r.varuint();
    if (ref === 0) return this.ctx.author;
    if (ref > this.used + 1 || ref > this.extras.length)
      this.r.fail(`actor index ${ref} is not the next one in the actor table`);
    if (ref === this.used + 1) this.used = ref;
    return this.extras[ref - 1]!;
  }

  /** A seq, as a delta from the context's reference (which moves to it). */
  private seq(): number {
    const ctx = this.ctx;
    const seq = ctx.ref + this.r.varint();
    if (seq < 0 || !Number.isSafeInteger(seq)) this.r.fail('seq out of range');
    ctx.ref = seq;
    return seq;
  }
}

function readExtras(r: Reader, n: number, author: string): string[] {
  const extras: string[] = [];
  for (let i = 0; i < n; i++) {
    const actor = r.string();
    if (actor.length === 0 || actor.length > 256) r.fail('actor id of invalid length');
    if (actor === author || extras.includes(actor)) r.fail('an actor twice in the actor table');
    extras.push(actor);
  }
  return extras;
}

const NO_COVERS: readonly never[] = Object.freeze([]);
const NO_EXTRAS: string[] = [];
