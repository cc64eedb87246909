import { hexOf } from '../encoding/reader.js';
import type { ActorId } from '../kernel/actor.js';
import { HASH_BYTES, type Hash, hexInto } from './hash.js';
import type { Run } from './run.js';

/** What the log keeps of a run whose body lives only in storage. */
export interface RunSummary {
  readonly hash: Hash;
  readonly actor: ActorId;
  readonly seq: number;
  readonly count: number;
  readonly deps: readonly Hash[];
  readonly lastWall: number;
  readonly lastLogical: number;
}

/**
 * What a ChangeLog keeps of each of its runs, by position in the causal order, as columns of
 * typed arrays rather than an object per run: a log holds one row per run for as long as it
 * lives, and a replica receiving a change at a time would otherwise keep an object, a hash
 * string, a deps array and a boxed timestamp for each, which the garbage collector copies and
 * traces. Hashes are kept as bytes and made into strings when asked for.
 */
export class RunTable {
  private rows = 0;
  private capacity = 16;
  private readonly actors: ActorId[] = [];
  private readonly actorIds = new Map<ActorId, number>();
  private actorOf = new Uint32Array(this.capacity);
  private seqs = new Float64Array(this.capacity);
  private counts = new Float64Array(this.capacity);
  private walls = new Float64Array(this.capacity);
  private logicals = new Float64Array(this.capacity);
  /** 1: the row's hash is set (the open run has none until sealed). */
  private hashed = new Uint8Array(this.capacity);
  private hashes = new Uint8Array(this.capacity * HASH_BYTES);
  /** Row i's deps (as positions) are depList[depStart[i] … depStart[i + 1]). */
  private depStart = new Uint32Array(this.capacity + 1);
  private depList = new Uint32Array(this.capacity);
  /** 1: the row's changes are in memory (decoded, or as stored bytes). */
  private inMemory = new Uint8Array(this.capacity);
  /** The decoded run, for the rows that keep one. */
  private readonly decoded: (Run | undefined)[] = [];
  /** For rows that keep only their bytes: the buffer they lie in, where, how long. */
  private readonly storedIn: (ArrayBufferLike | undefined)[] = [];
  private storedAt = new Uint32Array(this.capacity);
  private storedLength = new Uint32Array(this.capacity);

  get length(): number {
    return this.rows;
  }

  /** Adds a row (in memory, without stored bytes) and returns its position. */
  push(
    actor: ActorId,
    seq: number,
    count: number,
    lastWall: number,
    lastLogical: number,
    hash: Hash | undefined,
    deps: readonly number[],
  ): number {
    const pos = this.rows;
    if (pos === this.capacity) this.grow();
    let id = this.actorIds.get(actor);
    if (id === undefined) {
      id = this.actors.length;
      this.actors.push(actor);
      this.actorIds.set(actor, id);
    }
    this.actorOf[pos] = id;
    this.seqs[pos] = seq;
    this.counts[pos] = count;
    this.walls[pos] = lastWall;
    this.logicals[pos] = lastLogical;
    if (hash !== undefined) this.setHash(pos, hash);
    else this.hashed[pos] = 0;
    const start = this.depStart[pos]!;
    if (start + deps.length > this.depList.length)
      this.depList = grown(this.depList, start + deps.length);
    for (let i = 0; i < deps.length; i++) this.depList[start + i] = deps[i]!;
    this.depStart[pos + 1] = start + deps.length;
    this.inMemory[pos] = 1;
    this.decoded.push(undefined);
    this.storedIn.push(undefined);
    this.rows = pos + 1;
    return pos;
  }

  actor(pos: number): ActorId {
    return this.actors[this.actorOf[pos]!]!;
  }

  /** The one string this table holds for an actor (decoded runs bring copies). */
  actorString(actor: ActorId): ActorId {
    const id = this.actorIds.get(actor);
    return id === undefined ? actor : this.actors[id]!;
  }

  seq(pos: number): number {
    return this.seqs[pos]!;
  }

  count(pos: number): number {
    return this.counts[pos]!;
  }

  /** The seq of the row's last change. */
  end(pos: number): number {
    return this.seqs[pos]! + this.counts[pos]! - 1;
  }

  lastWall(pos: number): number {
    return this.walls[pos]!;
  }

  lastLogical(pos: number): number {
    return this.logicals[pos]!;
  }

  /** The open run grew: its count and last stamp. */
  extend(pos: number, count: number, lastWall: number, lastLogical: number): void {
    this.counts[pos] = count;
    this.walls[pos] = lastWall;
    this.logicals[pos] = lastLogical;
  }

  hash(pos: number): Hash | undefined {
    return this.hashed[pos] === 1 ? hexOf(this.hashes, pos * HASH_BYTES, HASH_BYTES) : undefined;
  }

  setHash(pos: number, hash: Hash): void {
    hexInto(this.hashes, pos * HASH_BYTES, hash);
    this.hashed[pos] = 1;
  }

  /** The positions of the row's deps, in the order of its run's deps (sorted by hash). */
  deps(pos: number): number[] {
    return Array.from(this.depList.subarray(this.depStart[pos]!, this.depStart[pos + 1]!));
  }

  /** The hashes of the row's deps, sorted (as its run lists them). */
  depHashes(pos: number): Hash[] {
    const from = this.depStart[pos]!;
    const out = new Array<Hash>(this.depStart[pos + 1]! - from);
    for (let i = 0; i < out.length; i++) out[i] = this.hash(this.depList[from + i]!)!;
    return out;
  }

  /** The row as a summary (its hash set: the row is sealed). */
  summary(pos: number): RunSummary {
    return {
      hash: this.hash(pos)!,
      actor: this.actor(pos),
      seq: this.seq(pos),
      count: this.count(pos),
      deps: this.depHashes(pos),
      lastWall: this.lastWall(pos),
      lastLogical: this.lastLogical(pos),
    };
  }

  depCount(pos: number): number {
    return this.depStart[pos + 1]! - this.depStart[pos]!;
  }

  dep(pos: number, i: number): number {
    return this.depList[this.depStart[pos]! + i]!;
  }

  isInMemory(pos: number): boolean {
    return this.inMemory[pos] === 1;
  }

  run(pos: number): Run | undefined {
    return this.decoded[pos];
  }

  setRun(pos: number, run: Run): void {
    this.decoded[pos] = run;
  }

  /** Where the row's bytes lie, if it keeps only them. */
  stored(pos: number): Uint8Array | undefined {
    const buffer = this.storedIn[pos];
    return buffer && new Uint8Array(buffer, this.storedAt[pos]!, this.storedLength[pos]!);
  }

  /** The row keeps only `bytes` (a run's stored bytes, which never change) of its run. */
  keepBytesOnly(pos: number, bytes: Uint8Array): void {
    this.storedIn[pos] = bytes.buffer;
    this.storedAt[pos] = bytes.byteOffset;
    this.storedLength[pos] = bytes.length;
    this.decoded[pos] = undefined;
  }

  /** The row's changes live in storage only from now on. */
  release(pos: number): void {
    this.decoded[pos] = undefined;
    this.storedIn[pos] = undefined;
    this.inMemory[pos] = 0;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.actorOf = grown(this.actorOf, capacity);
    this.seqs = grown(this.seqs, capacity);
    this.counts = grown(this.counts, capacity);
    this.walls = grown(this.walls, capacity);
    this.logicals = grown(this.logicals, capacity);
    this.hashed = grown(this.hashed, capacity);
    this.hashes = grown(this.hashes, capacity * HASH_BYTES);
    this.depStart = grown(this.depStart, capacity + 1);
    this.inMemory = grown(this.inMemory, capacity);
    this.storedAt = grown(this.storedAt, capacity);
    this.storedLength = grown(this.storedLength, capacity);
    this.capacity = capacity;
  }
}

type Column = Uint8Array | Uint32Array | Float64Array;

/** A copy of `column` with room for at least `size` values (twice as many as it had, or more). */
function grown<C extends Column>(column: C, size: number): C {
  const next = new (column.constructor as new (n: number) => C)(Math.max(size, 2 * column.length));
  (next as Uint8Array).set(column as Uint8Array);
  return next;
}
