import { decodeEnvelope, encodeEnvelope, type Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import type { ContentCodec } from './content-codec.js';
import { MissingDependencyError } from './errors.js';
import { NONE } from './item.js';
import type { SeqCrdt } from './seq-crdt.js';

// What a replica lacks, given its version (per actor, how many units it has): every run past
// that version, per actor in seq order (so seqs are implicit), each with its origins and
// whether it is deleted, then the visible content of those runs in one block, then the
// tombstone ranges among the units the replica already has (it may not know of those deletes;
// applying them again is a no-op). Yjs's state-vector diff, for one sequence.
//
// Per run: a flags byte (left origin: the actor's previous unit, the start, or written out;
// right origin: the end or written out; deleted), the length, the written-out origins.

const LEFT_PREV = 0;
const LEFT_START = 1;
const LEFT_ID = 2;
const RIGHT_ID = 4;
const DELETED = 8;

interface Run<C> {
  a: number;
  seq: number;
  len: number;
  content: C;
  deleted: boolean;
  leftActor: number;
  leftSeq: number;
  rightActor: number;
  rightSeq: number;
}

/** @internal */
export function encodeSeqDelta<C>(
  crdt: SeqCrdt<C>,
  since: Readonly<Record<ActorId, number>>,
  tag: Tag,
  codec: ContentCodec<C>,
): Uint8Array {
  const names = crdt.actorIds;
  const ops = crdt.ops;
  return encodeEnvelope(tag, (w) => {
    const live: C[] = [];
    const sending = names
      .map((_, a) => a)
      .filter((a) => (own(since, names[a]!) ?? 0) < crdt.nextSeqs[a]!);
    w.varuint(sending.length);
    for (const a of sending) {
      const from = own(since, names[a]!) ?? 0;
      const items = crdt.itemsOfActor(a).filter((x) => x.seq + x.len > from);
      w.actor(names[a]!);
      w.varuint(from);
      w.varuint(items.length);
      for (const x of items) {
        const cut = Math.max(0, from - x.seq);
        const leftActor = cut > 0 ? a : x.leftActor;
        const leftSeq = cut > 0 ? from - 1 : x.leftSeq;
        const left =
          leftActor === NONE
            ? LEFT_START
            : leftActor === a && leftSeq === x.seq + cut - 1
              ? LEFT_PREV
              : LEFT_ID;
        w.u8(left | (x.rightActor === NONE ? 0 : RIGHT_ID) | (x.deleted ? DELETED : 0));
        w.varuint(x.len - cut);
        if (left === LEFT_ID) writeId(w, names, leftActor, leftSeq);
        if (x.rightActor !== NONE) writeId(w, names, x.rightActor, x.rightSeq);
        if (!x.deleted) live.push(cut > 0 ? ops.slice(x.content, cut) : x.content);
      }
    }
    codec.write(w, live);
    // Tombstones among the units the receiver has.
    const deletes: [number, [number, number][]][] = [];
    names.forEach((name, a) => {
      const below = Math.min(own(since, name) ?? 0, crdt.nextSeqs[a]!);
      if (below === 0) return;
      const ranges: [number, number][] = [];
      for (const x of crdt.itemsOfActor(a)) {
        if (x.seq >= below) break;
        if (!x.deleted) continue;
        const end = Math.min(x.seq + x.len, below);
        const last = ranges[ranges.length - 1];
        if (last !== undefined && last[0] + last[1] === x.seq) last[1] = end - last[0];
        else ranges.push([x.seq, end - x.seq]);
      }
      if (ranges.length > 0) deletes.push([a, ranges]);
    });
    w.varuint(deletes.length);
    for (const [a, ranges] of deletes) {
      w.actor(names[a]!);
      w.varuint(ranges.length);
      let at = 0;
      for (const [seq, len] of ranges) {
        w.varuint(seq - at);
        w.varuint(len);
        at = seq + len;
      }
    }
  });
}

function own(record: Readonly<Record<ActorId, number>>, key: ActorId): number | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function writeId(w: Writer, names: readonly string[], actor: number, seq: number): void {
  w.actor(names[actor]!);
  w.varuint(seq);
}

/**
 * @internal Applies `encodeSeqDelta`'s bytes. Throws DecodeError on bad bytes and
 * MissingDependencyError if the delta builds on units this replica lacks; either way before
 * changing anything. Returns false if it held nothing new.
 */
export function applySeqDelta<C>(
  crdt: SeqCrdt<C>,
  bytes: Uint8Array,
  tag: Tag,
  codec: ContentCodec<C>,
): boolean {
  const { runs, deletes } = decodeEnvelope(bytes, tag, (r: Reader) => readDelta(r, crdt, codec));
  // Order the runs causally (each after its origins), simulating what each actor will have;
  // the true creation order is one such order, so this finds one unless the delta is bogus.
  const next = [...crdt.nextSeqs];
  const has = (actor: number, seq: number) => actor === NONE || seq < next[actor]!;
  const queues = new Map<number, Run<C>[]>();
  for (const run of runs) {
    let q = queues.get(run.a);
    if (q === undefined) {
      q = [];
      queues.set(run.a, q);
    }
    q.push(run);
  }
  const order: Run<C>[] = [];
  const heads = new Map<number, number>([...queues.keys()].map((a) => [a, 0]));
  for (let progress = true; progress && order.length < runs.length; ) {
    progress = false;
    for (const [a, q] of queues) {
      let i = heads.get(a)!;
      while (i < q.length) {
        const run = q[i]!;
        if (
          run.seq > next[a]! ||
          !has(run.leftActor, run.leftSeq) ||
          !has(run.rightActor, run.rightSeq)
        )
          break;
        next[a] = Math.max(next[a]!, run.seq + run.len);
        order.push(run);
        i++;
        progress = true;
      }
      heads.set(a, i);
    }
  }
  if (order.length < runs.length) {
    throw new MissingDependencyError('the delta builds on units this replica does not have');
  }
  for (const [a, seq, len] of deletes) {
    if (seq + len > next[a]!)
      throw new MissingDependencyError('the delta deletes units this replica does not have');
  }
  let changed = false;
  for (const run of order) {
    if (
      crdt.integrateRun(
        run.a,
        run.seq,
        run.len,
        run.content,
        run.deleted,
        run.leftActor,
        run.leftSeq,
        run.rightActor,
        run.rightSeq,
      )
    ) {
      changed = true;
    }
  }
  for (const [a, seq, len] of deletes) if (crdt.deleteRange(a, seq, len)) changed = true;
  return changed;
}

function readDelta<C>(
  r: Reader,
  crdt: SeqCrdt<C>,
  codec: ContentCodec<C>,
): { runs: Run<C>[]; deletes: [number, number, number][] } {
  const table = r.actors.map((id) => crdt.actorNumber(id));
  const readActor = (): number => {
    const index = r.varuint();
    const a = table[index];
    if (a === undefined) r.fail(`actor index ${index} is not in the actor table`);
    return a;
  };
  const runs: Run<C>[] = [];
  const actorCount = r.count(3);
  const seen = new Set<number>();
  const empty = crdt.ops.empty();
  for (let i = 0; i < actorCount; i++) {
    const a = readActor();
    if (seen.has(a)) r.fail('an actor twice in a delta');
    seen.add(a);
    let seq = r.varuint();
    const n = r.count(2);
    for (let j = 0; j < n; j++) {
      const flags = r.u8();
      const left = flags & 3;
      if (flags > 15 || left === 3) r.fail('invalid run flags');
      const len = r.varuint();
      if (len === 0 || !Number.isSafeInteger(seq + len)) r.fail('invalid run length');
      let leftActor = NONE;
      let leftSeq = 0;
      if (left === LEFT_PREV) {
        if (seq === 0) r.fail('the first unit of an actor cannot follow its previous one');
        leftActor = a;
        leftSeq = seq - 1;
      } else if (left === LEFT_ID) {
        leftActor = readActor();
        leftSeq = r.varuint();
      }
      let rightActor = NONE;
      let rightSeq = 0;
      if (flags & RIGHT_ID) {
        rightActor = readActor();
        rightSeq = r.varuint();
      }
      const deleted = (flags & DELETED) !== 0;
      runs.push({ a, seq, len, content: empty, deleted, leftActor, leftSeq, rightActor, rightSeq });
      seq += len;
    }
  }
  const liveRuns = runs.filter((run) => !run.deleted);
  const contents = codec.read(
    r,
    liveRuns.map((run) => run.len),
  );
  liveRuns.forEach((run, i) => {
    run.content = contents[i]!;
  });
  const deletes: [number, number, number][] = [];
  const deleteActors = r.count(2);
  for (let i = 0; i < deleteActors; i++) {
    const a = readActor();
    const n = r.count(2);
    let at = 0;
    for (let j = 0; j < n; j++) {
      const seq = at + r.varuint();
      const len = r.varuint();
      if (len === 0 || !Number.isSafeInteger(seq + len)) r.fail('invalid deleted range');
      deletes.push([a, seq, len]);
      at = seq + len;
    }
  }
  return { runs, deletes };
}
