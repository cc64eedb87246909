import { decodeEnvelope, encodeEnvelope, type Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ContentCodec } from './content-codec.js';
import { Item, NONE } from './item.js';
import type { SeqCrdt } from './seq-crdt.js';

// The full state of a sequence, history included: every run in document order, tombstones too,
// then the visible content in one block. Per run: a flags byte, the actor when it changes, the
// length, and its seq and origins, most of them predicted from the runs around it:
//   left origin:  P the last unit of the run before; C the unit before it of its own actor
//                 (a run split later; written as the distance back to that run, which also
//                 gives the seq); S the start; X written out (actor, seq).
//   right origin: N the first unit of the run after; E the end; I the same as the run holding
//                 the left origin (typing that went on after a split); D the first unit of a
//                 run further on (written as the distance); X written out.
//   seq:          (unless C) the difference from the end of the actor's previous run.
// Tombstones keep no content; the content block is the visible units only.

const LEFT_PREV = 0;
const LEFT_CONT = 1;
const LEFT_START = 2;
const LEFT_ID = 3;
const RIGHT_NEXT = 0;
const RIGHT_END = 1;
const RIGHT_INHERIT = 2;
const RIGHT_AHEAD = 3;
const RIGHT_ID = 4;
const DELETED = 1 << 5;
const NEW_ACTOR = 1 << 6;
const LOOK_AHEAD = 64;

/** @internal */
export function encodeSeqState<C>(crdt: SeqCrdt<C>, tag: Tag, codec: ContentCodec<C>): Uint8Array {
  const items = crdt.tree.itemArray();
  const indexOf = new Map<Item<C>, number>();
  for (let i = 0; i < items.length; i++) indexOf.set(items[i]!, i);
  const names = crdt.actorIds;
  return encodeEnvelope(tag, (w) => {
    w.varuint(items.length);
    const lastEnd = names.map(() => 0);
    let actor = NONE;
    const live: C[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const prev = items[i - 1];
      const next = items[i + 1];
      // The rarer forms are worked out in functions of their own: in this loop, a branch not
      // taken before the loop was optimized would throw the optimized code away when first taken.
      let left = LEFT_ID;
      if (item.leftActor === NONE) left = LEFT_START;
      else if (
        prev !== undefined &&
        item.leftActor === prev.actor &&
        item.leftSeq === prev.seq + prev.len - 1
      ) {
        left = LEFT_PREV;
      } else if (item.leftActor === item.actor && item.leftSeq === item.seq - 1) {
        left = LEFT_CONT;
      }
      let right = RIGHT_ID;
      let ahead = 0;
      if (item.rightActor === NONE) right = RIGHT_END;
      else if (next !== undefined && next.actor === item.rightActor && next.seq === item.rightSeq) {
        right = RIGHT_NEXT;
      } else {
        const form = rightForm(crdt, items, i);
        right = form & 7;
        ahead = form >> 3;
      }
      let flags = left | (right << 2) | (item.deleted ? DELETED : 0);
      if (item.actor !== actor) flags |= NEW_ACTOR;
      w.u8(flags);
      if (item.actor !== actor) {
        actor = item.actor;
        w.actor(names[actor]!);
      }
      w.varuint(item.len);
      if (left === LEFT_CONT) w.varuint(i - indexOf.get(crdt.itemOf(item.actor, item.seq - 1))!);
      else {
        if (left === LEFT_ID) writeId(w, names, item.leftActor, item.leftSeq);
        w.varint(item.seq - lastEnd[actor]!);
      }
      if (right === RIGHT_AHEAD) w.varuint(ahead);
      else if (right === RIGHT_ID) writeId(w, names, item.rightActor, item.rightSeq);
      lastEnd[actor] = item.seq + item.len;
      if (!item.deleted) live.push(item.content);
    }
    codec.write(w, live);
  });
}

/**
 * The right origin's form of run `i` when it is not the next run's first unit (or the end):
 * INHERIT, AHEAD (with the distance, times 8) or ID.
 */
function rightForm<C>(crdt: SeqCrdt<C>, items: readonly Item<C>[], i: number): number {
  const item = items[i]!;
  if (item.leftActor !== NONE) {
    const holder = crdt.itemOf(item.leftActor, item.leftSeq);
    if (holder.rightActor === item.rightActor && holder.rightSeq === item.rightSeq) {
      return RIGHT_INHERIT;
    }
  }
  for (let d = 2; d <= LOOK_AHEAD && i + d < items.length; d++) {
    const other = items[i + d]!;
    if (other.actor === item.rightActor && other.seq === item.rightSeq)
      return RIGHT_AHEAD | (d << 3);
  }
  return RIGHT_ID;
}

function writeId(w: Writer, names: readonly string[], actor: number, seq: number): void {
  w.actor(names[actor]!);
  w.varuint(seq);
}

/** @internal Reads what encodeSeqState wrote into `crdt`, which must be empty. */
export function decodeSeqState<C>(
  bytes: Uint8Array,
  tag: Tag,
  codec: ContentCodec<C>,
  crdt: SeqCrdt<C>,
): void {
  decodeEnvelope(bytes, tag, (r: Reader) => {
    // The envelope's actors, numbered as the replica numbers them.
    const table = r.actors.map((id) => crdt.actorNumber(id));
    const readActor = (): number => {
      const index = r.varuint();
      const a = table[index];
      if (a === undefined) r.fail(`actor index ${index} is not in the actor table`);
      return a;
    };
    const n = r.count(2);
    const items: Item<C>[] = [];
    const rightKinds = new Uint8Array(n);
    // The document index of the run holding each run's left origin, when the encoding says it
    // (P, C); -1 for the start; -2 when it must be looked up (X).
    const leftHolders = new Int32Array(n);
    const aheads: number[] = [];
    const lastEnd = crdt.actorIds.map(() => 0);
    const empty = crdt.ops.empty();
    let actor = NONE;
    for (let i = 0; i < n; i++) {
      const flags = r.u8();
      const left = flags & 3;
      const right = (flags >> 2) & 7;
      if (flags & 0x80 || right > RIGHT_ID) r.fail('invalid run flags');
      if (flags & NEW_ACTOR) actor = readActor();
      if (actor === NONE) r.fail('a run without an actor');
      const len = r.varuint();
      if (len === 0) r.fail('a run of length 0');
      let seq: number;
      let leftActor = NONE;
      let leftSeq = 0;
      if (left === LEFT_CONT) {
        const back = r.varuint();
        const pred = back >= 1 && back <= i ? items[i - back]! : undefined;
        leftHolders[i] = i - back;
        if (pred === undefined || pred.actor !== actor) r.fail('invalid continued run');
        seq = pred.seq + pred.len;
        leftActor = actor;
        leftSeq = seq - 1;
      } else {
        leftHolders[i] = left === LEFT_PREV ? i - 1 : left === LEFT_START ? -1 : -2;
        if (left === LEFT_PREV) {
          const prev = items[i - 1];
          if (prev === undefined) r.fail('the first run cannot follow a previous one');
          leftActor = prev.actor;
          leftSeq = prev.seq + prev.len - 1;
        } else if (left === LEFT_ID) {
          leftActor = readActor();
          leftSeq = r.varuint();
        }
        seq = lastEnd[actor]! + r.varint();
      }
      if (seq < 0 || !Number.isSafeInteger(seq + len)) r.fail('run seq out of range');
      let rightActor = NONE;
      let rightSeq = 0;
      if (right === RIGHT_AHEAD) {
        const d = r.varuint();
        if (d < 2 || d > n - 1 - i) r.fail('invalid right origin distance');
        aheads.push(d);
      } else if (right === RIGHT_ID) {
        rightActor = readActor();
        rightSeq = r.varuint();
      }
      rightKinds[i] = right;
      lastEnd[actor] = seq + len;
      items.push(
        new Item(
          actor,
          seq,
          len,
          empty,
          (flags & DELETED) !== 0,
          leftActor,
          leftSeq,
          rightActor,
          rightSeq,
          null,
        ),
      );
    }
    const liveLengths: number[] = [];
    for (const item of items) if (!item.deleted) liveLengths.push(item.len);
    const contents = codec.read(r, liveLengths);
    let c = 0;
    for (const item of items) if (!item.deleted) item.content = contents[c++]!;
    // Right origins that name later runs.
    let a = 0;
    for (let i = 0; i < n; i++) {
      const kind = rightKinds[i]!;
      if (kind !== RIGHT_NEXT && kind !== RIGHT_AHEAD) continue;
      const target = items[i + (kind === RIGHT_NEXT ? 1 : aheads[a++]!)];
      if (target === undefined) r.fail('the last run cannot have a next run as right origin');
      items[i]!.rightActor = target.actor;
      items[i]!.rightSeq = target.seq;
    }
    const byActor = sortById(r, crdt, items);
    checkOrigins(r, items, byActor, rightKinds, leftHolders);
    crdt.load(
      items,
      byActor.map(({ indexes }) => Array.from(indexes, (i) => items[i]!)),
    );
  });
}

/** One actor's runs sorted by seq: their first seqs and their document indexes. */
interface ActorRuns {
  readonly starts: Int32Array | Float64Array;
  readonly indexes: Int32Array;
}

/**
 * Per actor, its runs sorted by seq; each actor's runs must cover its seqs 0 … n-1 exactly
 * once. Runs are placed by their seq in a table of the actor's units when that table is small
 * (the usual case: runs average a few units), else sorted.
 */
function sortById<C>(r: Reader, crdt: SeqCrdt<C>, items: readonly Item<C>[]): ActorRuns[] {
  const counts = crdt.actorIds.map(() => 0);
  const units = crdt.actorIds.map(() => 0);
  for (const item of items) {
    counts[item.actor]!++;
    units[item.actor]! += item.len;
  }
  return counts.map((count, a) => {
    const total = units[a]!;
    const starts = total < 2 ** 31 ? new Int32Array(count) : new Float64Array(count);
    const indexes = new Int32Array(count);
    if (total <= 64 * count + 1024) {
      const at = new Int32Array(total).fill(-1);
      items.forEach((item, i) => {
        if (item.actor !== a) return;
        if (item.seq >= total || at[item.seq] !== -1) {
          r.fail("runs overlap or leave a gap in their actor's seqs");
        }
        at[item.seq] = i;
      });
      let k = 0;
      for (let seq = 0; seq < total; ) {
        const i = at[seq]!;
        if (i < 0) r.fail("runs overlap or leave a gap in their actor's seqs");
        starts[k] = seq;
        indexes[k++] = i;
        seq += items[i]!.len;
      }
      if (k !== count) r.fail("runs overlap or leave a gap in their actor's seqs");
    } else {
      const order: number[] = [];
      items.forEach((item, i) => {
        if (item.actor === a) order.push(i);
      });
      order.sort((x, y) => items[x]!.seq - items[y]!.seq);
      let expect = 0;
      order.forEach((i, k) => {
        const item = items[i]!;
        if (item.seq !== expect) r.fail("runs overlap or leave a gap in their actor's seqs");
        expect += item.len;
        starts[k] = item.seq;
        indexes[k] = i;
      });
    }
    return { starts, indexes };
  });
}

/**
 * Every origin must name a unit that exists, the left one before its run and the right one
 * after it; inherited right origins are filled in here (the run holding the left origin comes
 * earlier, so it is already complete).
 */
function checkOrigins<C>(
  r: Reader,
  items: readonly Item<C>[],
  byActor: readonly ActorRuns[],
  rightKinds: Uint8Array,
  leftHolders: Int32Array,
): void {
  /** The document index of the run holding `(actor, seq)`. */
  const holder = (actor: number, seq: number): number => {
    const { starts, indexes } = byActor[actor]!;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    const i = indexes[lo];
    if (i === undefined || seq >= items[i]!.seq + items[i]!.len) {
      r.fail('an origin names a unit that does not exist');
    }
    return i;
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    // P and C left origins are before the run by construction; N and D right ones after it.
    let left = leftHolders[i]!;
    if (left === -2) {
      left = holder(item.leftActor, item.leftSeq);
      if (left >= i) r.fail('a left origin that is not before its run');
    }
    const kind = rightKinds[i]!;
    if (kind === RIGHT_INHERIT) {
      if (left < 0) r.fail('an inherited right origin without a left origin');
      const from = items[left]!;
      item.rightActor = from.rightActor;
      item.rightSeq = from.rightSeq;
    }
    if (
      (kind === RIGHT_INHERIT || kind === RIGHT_ID) &&
      item.rightActor !== NONE &&
      holder(item.rightActor, item.rightSeq) <= i
    ) {
      // A right origin inside the run itself or before it.
      r.fail('a right origin that is not after its run');
    }
  }
}
