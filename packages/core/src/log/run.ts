import { type Hlc, MAX_LOGICAL } from '../clocks/hlc.js';
import { decodeEnvelope, encodeEnvelope, FORMAT_VERSION, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { smallBytes } from '../encoding/slab.js';
import { Writer } from '../encoding/writer.js';
import { ChangeRejectedError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';
import { EncodedRun, ONE_RUN_HEADER } from './encoded-run.js';
import { HASH_BYTES, type Hash, isHash, sha256Hex, writeHash } from './hash.js';

/**
 * The change log's unit. A *change* is one transaction: `{actor, seq, hlc, payload}`. A *run*
 * is one or more consecutive changes of one actor, each depending on the one before it; only
 * the first names its `deps` (the hashes of the heads it was made on). The run is the node of
 * the Merkle DAG: one hash covers the actor, seqs, deps, stamps and payloads of all its
 * changes. A single change is a run of one.
 *
 * Why runs: one change per keystroke is normal for text. Hashing (and storing deps) once per
 * run instead of once per change keeps that cheap; an actor seals its open run (computes the
 * hash) only when the run is sent or persisted.
 */
export interface ChangeEntry {
  /** HLC wall-clock milliseconds and logical counter; the actor is the run's. */
  readonly wall: number;
  readonly logical: number;
  /** The encoded deltas of one transaction. Opaque to the log. */
  readonly payload: Uint8Array;
}

export interface Run {
  readonly actor: ActorId;
  /** Seq of the first change; the run holds seqs `seq … seq + changes.length - 1`. */
  readonly seq: number;
  /** Hashes of the runs this run was made on, sorted and unique. */
  readonly deps: readonly Hash[];
  readonly changes: readonly ChangeEntry[];
  readonly hash: Hash;
}

export type UnsealedRun = Omit<Run, 'hash'>;

/** One change, expanded from its run (for iteration and inspection). */
export interface Change {
  readonly actor: ActorId;
  readonly seq: number;
  readonly hlc: Hlc;
  readonly payload: Uint8Array;
}

export function runEnd(run: UnsealedRun): number {
  return run.seq + changeCount(run) - 1;
}

/** How many changes a run holds (a sealed local run does not read its bytes to say). */
export function changeCount(run: UnsealedRun): number {
  return EncodedRun.countOf(run) ?? run.changes.length;
}

/** About how many bytes a run takes encoded (exactly, for a run that keeps its bytes). */
export function runSize(run: Run): number {
  const bytes = EncodedRun.bytesOf(run);
  if (bytes) return bytes.length;
  let n = 48 + 33 * run.deps.length;
  for (const change of run.changes) n += 12 + change.payload.length;
  return n;
}

export function changeAt(run: UnsealedRun, index: number): Change {
  const c = run.changes[index]!;
  return {
    actor: run.actor,
    seq: run.seq + index,
    hlc: { wall: c.wall, logical: c.logical, actor: run.actor },
    payload: c.payload,
  };
}

/** Computes the hash and returns the sealed run. */
export function sealRun(run: UnsealedRun): Run {
  return { ...run, hash: computeRunHash(run) };
}

/** Makes a single-change run: `{actor, seq, deps, hlc, payload, hash}`. */
export function makeChange(change: {
  actor: ActorId;
  seq: number;
  deps: readonly Hash[];
  hlc: { wall: number; logical: number };
  payload: Uint8Array;
}): Run {
  return sealRun({
    actor: change.actor,
    seq: change.seq,
    deps: [...new Set(change.deps)].sort(),
    changes: [{ wall: change.hlc.wall, logical: change.hlc.logical, payload: change.payload }],
  });
}

export function computeRunHash(run: UnsealedRun): Hash {
  const w = new Writer(64 + run.changes.length * 16);
  w.u8(FORMAT_VERSION);
  w.u8(Tag.run);
  writeRunBody(w, run);
  return sha256Hex(w.finish());
}

/**
 * Whether a run's hash is the hash of its content: computed on the bytes it was read from
 * when it has them (EncodedRun), else on its fields encoded again.
 */
export function runHashMatches(run: Run): boolean {
  return EncodedRun.hashMatches(run) ?? computeRunHash(run) === run.hash;
}

/**
 * Checks the rules a run must meet on its own (before looking at the log): at least one
 * change, positive seqs, sorted unique well-formed deps, stamps strictly increasing.
 */
export function checkRunShape(run: UnsealedRun): void {
  if (typeof run.actor !== 'string' || run.actor.length === 0 || run.actor.length > 256) {
    refuseShape(run, 'has an invalid actor id');
  }
  if (!Number.isSafeInteger(run.seq) || run.seq < 1) refuseShape(run, 'has an invalid seq');
  if (run.changes.length === 0) refuseShape(run, 'has no changes');
  if (!Number.isSafeInteger(runEnd(run))) refuseShape(run, 'has seqs out of range');
  // (A run read from bytes has deps made as hex: only their order is left to check.)
  const decoded = EncodedRun.countOf(run) !== undefined;
  for (let i = 0; i < run.deps.length; i++) {
    const dep = run.deps[i]!;
    if (!decoded && !isHash(dep)) refuseShape(run, `has a malformed dep "${dep}"`);
    if (i > 0 && !(dep > run.deps[i - 1]!))
      refuseShape(run, 'has deps that are not sorted and unique');
  }
  for (let i = 1; i < run.changes.length; i++) {
    const a = run.changes[i - 1]!;
    const b = run.changes[i]!;
    if (b.wall < a.wall || (b.wall === a.wall && b.logical <= a.logical)) {
      refuseShape(run, `has a stamp that goes back at seq ${run.seq + i}`);
    }
  }
}

function refuseShape(run: UnsealedRun, why: string): never {
  throw new ChangeRejectedError('invalid-change', `run ${run.actor}:${run.seq} ${why}`);
}

/** The canonical body: what the hash covers and what goes on the wire before the hash. */
function writeRunBody(w: Writer, run: UnsealedRun): void {
  w.string(run.actor);
  w.varuint(run.seq);
  w.varuint(run.deps.length);
  for (const dep of run.deps) writeHash(w, dep);
  w.varuint(run.changes.length);
  let wall = 0;
  for (const c of run.changes) {
    // Stamps as deltas: consecutive keystrokes cost a byte or two each.
    w.varint(c.wall - wall);
    wall = c.wall;
    w.varuint(c.logical);
    w.bytes(c.payload);
  }
}

export function writeRun(w: Writer, run: Run): void {
  const bytes = EncodedRun.bytesOf(run);
  if (bytes) {
    w.raw(bytes); // the same bytes, as they came
    return;
  }
  writeRunBody(w, run);
  writeHash(w, run.hash);
}

/**
 * Reads a run's structure; the hash is read, not verified (ChangeLog.add verifies it). The run
 * keeps a copy of its bytes, as its store will keep them (an EncodedRun), and its payloads are
 * views into that copy.
 */
export function readRun(r: Reader): Run {
  const start = r.offset;
  const actor = r.string();
  if (actor.length === 0 || actor.length > 256) r.fail('actor id of invalid length');
  const seq = r.varuint();
  if (seq === 0) r.fail('run seq of 0');
  const depCount = r.count(HASH_BYTES);
  // Arrays of their exact size (a log keeps them): `push` onto [] reserves room for 17.
  const deps = new Array<Hash>(depCount);
  for (let i = 0; i < depCount; i++) {
    deps[i] = r.hex(HASH_BYTES);
    if (i > 0 && !(deps[i]! > deps[i - 1]!)) r.fail('run deps not sorted and unique');
  }
  const n = r.count(3);
  if (n === 0) r.fail('run without changes');
  if (!Number.isSafeInteger(seq + n)) r.fail('run seqs out of range');
  // Per change: wall, logical, and where its payload lies from `start`.
  const marks = new Array<number>(4 * n);
  let wall = 0;
  for (let i = 0; i < n; i++) {
    wall += r.varint();
    if (wall < 0 || !Number.isSafeInteger(wall)) r.fail('change stamp out of range');
    const logical = r.varuint();
    if (logical >= MAX_LOGICAL) r.fail('change logical counter out of range');
    const length = r.skipBytes();
    marks[4 * i] = wall;
    marks[4 * i + 1] = logical;
    marks[4 * i + 2] = r.offset - length - start;
    marks[4 * i + 3] = length;
  }
  const hash = r.hex(HASH_BYTES);
  // Carved from a shared block: a backing store per run cost the collector more than decoding.
  const stored = smallBytes(ONE_RUN_HEADER.length + (r.offset - start));
  stored.set(ONE_RUN_HEADER);
  r.copySince(start, stored, ONE_RUN_HEADER.length);
  const changes = new Array<ChangeEntry>(n);
  for (let i = 0; i < n; i++) {
    const at = ONE_RUN_HEADER.length + marks[4 * i + 2]!;
    changes[i] = {
      wall: marks[4 * i]!,
      logical: marks[4 * i + 1]!,
      payload: stored.subarray(at, at + marks[4 * i + 3]!),
    };
  }
  return new EncodedRun(actor, seq, deps, changes, hash, stored);
}

export function encodeRuns(runs: readonly Run[]): Uint8Array {
  const one = runs.length === 1 ? EncodedRun.storedOf(runs[0]!) : undefined;
  if (one) return one.slice();
  return encodeEnvelope(Tag.runs, (w) => {
    w.varuint(runs.length);
    for (const run of runs) writeRun(w, run);
  });
}

/**
 * `encodeRuns([run])`, how a store keeps each run of its log; for a run read from bytes, the
 * bytes it keeps, not a copy: for a storage adapter (which copies or only reads), never to
 * be modified.
 */
export function storedRun(run: Run): Uint8Array {
  return (
    EncodedRun.storedOf(run) ??
    encodeEnvelope(Tag.runs, (w) => {
      w.varuint(1);
      writeRun(w, run);
    })
  );
}

export function decodeRuns(bytes: Uint8Array): Run[] {
  return decodeEnvelope(bytes, Tag.runs, (r) => {
    const n = r.count(4 + HASH_BYTES);
    const runs: Run[] = [];
    for (let i = 0; i < n; i++) runs.push(readRun(r));
    return runs;
  });
}
