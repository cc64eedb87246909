import { hexOf } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import { HistoryNotLoadedError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';
import { EncodedRun } from './encoded-run.js';
import { HASH_BYTES, type Hash, hexInto } from './hash.js';
import { decodeRuns, type Run } from './run.js';
import type { RunSummary, SummaryRows } from './summary-codec.js';

/**
 * What a ChangeLog keeps of each of its runs, by position in the causal order, as rows of
 * typed arrays rather than an object per run: a log holds one row per run for as long as it
 * lives, and a replica receiving a change at a time would otherwise keep an object, a hash
 * string, a deps array and a boxed timestamp for each, which the garbage collector copies and
 * traces. Hashes are kept as bytes and made into strings when asked for.
 */
export class RunTable implements SummaryRows {
  private rows = 0;
  /** Rows the pages hold room for. */
  private capacity = FIRST_ROWS;
  private readonly actors: ActorId[] = [];
  private readonly actorIds = new Map<ActorId, number>();
  /**
   * A row's numbers side by side (one cache line per row: a replica adding a run touches its
   * row, not a dozen columns), see the F_ offsets; row i in page i >>> PAGE_SHIFT.
   */
  private readonly numberPages = [new Float64Array(FIRST_ROWS * ROW)];
  /** Row i's hash is HASH_BYTES bytes at (i & PAGE_MASK) * HASH_BYTES in page i >>> PAGE_SHIFT. */
  private readonly hashPages = [new Uint8Array(FIRST_ROWS * HASH_BYTES)];
  /**
   * Row i's deps (as positions) are depList[depStart(i) … depStart(i + 1)). It doubles as it
   * fills, from a size that differs from table to table (see `firstDepRoom`).
   */
  private depList = new Uint32Array(firstDepRoom());
  private depsUsed = 0;
  /** Per row: its decoded run, or the buffer its bytes lie in (see `keepBytesOnly`). */
  private readonly bodies: (Run | ArrayBufferLike | undefined)[] = [];
  /** The rows before this position have had their bodies released (see `releaseBodies`). */
  private releasedBefore = 0;
  /** The rows before this position keep only their bytes, not their decoded changes. */
  private compactedBefore = 0;

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
    const start = this.depsUsed;
    if (start + deps.length > this.depList.length)
      this.depList = grown(this.depList, start + deps.length);
    for (let i = 0; i < deps.length; i++) this.depList[start + i] = deps[i]!;
    this.depsUsed = start + deps.length;
    const at = (pos & PAGE_MASK) * ROW;
    const numbers = this.numberPages[pos >>> PAGE_SHIFT]!;
    numbers[at + F_ACTOR] = id;
    numbers[at + F_SEQ] = seq;
    numbers[at + F_COUNT] = count;
    numbers[at + F_WALL] = lastWall;
    numbers[at + F_LOGICAL] = lastLogical;
    numbers[at + F_DEPS] = start;
    numbers[at + F_FLAGS] = IN_MEMORY;
    numbers[at + F_STORED_AT] = 0;
    if (hash !== undefined) this.setHash(pos, hash);
    this.bodies.push(undefined);
    this.rows = pos + 1;
    return pos;
  }

  actor(pos: number): ActorId {
    return this.actors[this.get(pos, F_ACTOR)]!;
  }

  /** The one string this table holds for an actor (decoded runs bring copies). */
  actorString(actor: ActorId): ActorId {
    const id = this.actorIds.get(actor);
    return id === undefined ? actor : this.actors[id]!;
  }

  seq(pos: number): number {
    return this.get(pos, F_SEQ);
  }

  count(pos: number): number {
    return this.get(pos, F_COUNT);
  }

  /** The seq of the row's last change. */
  end(pos: number): number {
    return this.get(pos, F_SEQ) + this.get(pos, F_COUNT) - 1;
  }

  lastWall(pos: number): number {
    return this.get(pos, F_WALL);
  }

  lastLogical(pos: number): number {
    return this.get(pos, F_LOGICAL);
  }

  /** The open run grew: its count and last stamp. */
  extend(pos: number, count: number, lastWall: number, lastLogical: number): void {
    const at = (pos & PAGE_MASK) * ROW;
    const numbers = this.numberPages[pos >>> PAGE_SHIFT]!;
    numbers[at + F_COUNT] = count;
    numbers[at + F_WALL] = lastWall;
    numbers[at + F_LOGICAL] = lastLogical;
  }

  hash(pos: number): Hash | undefined {
    return this.flags(pos) & HASHED
      ? hexOf(this.hashPage(pos), this.hashAt(pos), HASH_BYTES)
      : undefined;
  }

  setHash(pos: number, hash: Hash): void {
    hexInto(this.hashPage(pos), this.hashAt(pos), hash);
    this.setFlags(pos, this.flags(pos) | HASHED);
  }

  /** Writes the row's hash (its 32 bytes; the row is sealed). */
  writeHash(w: Writer, pos: number): void {
    if (!(this.flags(pos) & HASHED))
      throw new Error('Weft internal error: an unsealed run has no hash');
    w.rawAt(this.hashPage(pos), this.hashAt(pos), HASH_BYTES);
  }

  /** The positions of the row's deps, as `deps` but a view, not a copy. */
  depRows(pos: number): Uint32Array {
    return this.depList.subarray(this.depStart(pos), this.depEnd(pos));
  }

  /** The positions of the row's deps, in the order of its run's deps (sorted by hash). */
  deps(pos: number): number[] {
    return Array.from(this.depList.subarray(this.depStart(pos), this.depEnd(pos)));
  }

  /** The hashes of the row's deps, sorted (as its run lists them). */
  depHashes(pos: number): Hash[] {
    const from = this.depStart(pos);
    const out = new Array<Hash>(this.depEnd(pos) - from);
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

  isInMemory(pos: number): boolean {
    return (this.flags(pos) & IN_MEMORY) !== 0;
  }

  run(pos: number): Run | undefined {
    const body = this.bodies[pos];
    return body !== undefined && isRun(body) ? body : undefined;
  }

  setRun(pos: number, run: Run): void {
    this.bodies[pos] = run;
  }

  /** Where the row's bytes lie, if it keeps only them. */
  stored(pos: number): Uint8Array | undefined {
    const body = this.bodies[pos];
    if (body === undefined || isRun(body)) return undefined;
    return new Uint8Array(body, this.get(pos, F_STORED_AT), Math.floor(this.flags(pos) / 4));
  }

  /** The row keeps only `bytes` (a run's stored bytes, which never change) of its run. */
  keepBytesOnly(pos: number, bytes: Uint8Array): void {
    this.bodies[pos] = bytes.buffer;
    this.set(pos, F_STORED_AT, bytes.byteOffset);
    this.setFlags(pos, (this.flags(pos) & 3) + bytes.length * 4);
  }

  /** The run of a row (sealed), decoded again from its bytes if it keeps only them. */
  runAt(pos: number): Run {
    const run = this.run(pos);
    if (run) return run;
    const stored = this.stored(pos);
    if (stored) return decodeRuns(stored)[0]!;
    throw new HistoryNotLoadedError(
      `run ${this.actor(pos)}:${this.seq(pos)} is in storage, not in memory: read it from there (Space.changesSinceStored)`,
    );
  }

  /**
   * The rows before `before` let go of their bodies (see ChangeLog.releaseBodies); those from
   * there up to `decodedBefore` keep their bytes only. Stops at the open run's row, `open`.
   */
  releaseBodies(before: number, decodedBefore: number, open: number): void {
    const end = Math.min(before, this.rows);
    let pos = this.releasedBefore;
    for (; pos < end && pos !== open; pos++) this.release(pos);
    this.releasedBefore = pos;
    // Between the two, a run keeps only its bytes: a decoded run (its changes, their payload
    // views) costs several times as much memory, and few are asked for again.
    const decodedEnd = Math.min(decodedBefore, this.rows);
    for (pos = Math.max(pos, this.compactedBefore); pos < decodedEnd && pos !== open; pos++) {
      const run = this.run(pos);
      const bytes = run && EncodedRun.storedOf(run);
      if (bytes) this.keepBytesOnly(pos, bytes);
      // (a run made from fields, not bytes, stays as it is)
    }
    this.compactedBefore = pos;
  }

  /** The row's changes live in storage only from now on. */
  release(pos: number): void {
    this.bodies[pos] = undefined;
    this.setFlags(pos, this.flags(pos) & HASHED);
  }

  private depStart(pos: number): number {
    return this.get(pos, F_DEPS);
  }

  private depEnd(pos: number): number {
    return pos + 1 < this.rows ? this.get(pos + 1, F_DEPS) : this.depsUsed;
  }

  /** HASHED and IN_MEMORY in bits 0 and 1, plus 4 × the stored length (see keepBytesOnly). */
  private flags(pos: number): number {
    return this.get(pos, F_FLAGS);
  }

  private setFlags(pos: number, value: number): void {
    this.set(pos, F_FLAGS, value);
  }

  private get(pos: number, field: number): number {
    return this.numberPages[pos >>> PAGE_SHIFT]![(pos & PAGE_MASK) * ROW + field]!;
  }

  private set(pos: number, field: number, value: number): void {
    this.numberPages[pos >>> PAGE_SHIFT]![(pos & PAGE_MASK) * ROW + field] = value;
  }

  private hashPage(pos: number): Uint8Array {
    return this.hashPages[pos >>> PAGE_SHIFT]!;
  }

  private hashAt(pos: number): number {
    return (pos & PAGE_MASK) * HASH_BYTES;
  }

  /**
   * Room for more rows: the first page doubles until it is full size (a small log stays
   * small), then a page is added, nothing copied. Copying the whole table on every doubling
   * made each receiver of a long log stall, and every receiver of one space at the same run.
   */
  private grow(): void {
    if (this.capacity < PAGE_ROWS) {
      const capacity = this.capacity * 2;
      this.numberPages[0] = grown(this.numberPages[0]!, capacity * ROW);
      this.hashPages[0] = grown(this.hashPages[0]!, capacity * HASH_BYTES);
      this.capacity = capacity;
      return;
    }
    this.numberPages.push(new Float64Array(PAGE_ROWS * ROW));
    this.hashPages.push(new Uint8Array(PAGE_ROWS * HASH_BYTES));
    this.capacity += PAGE_ROWS;
  }
}

/**
 * Rows per page (4 KiB of numbers, 2 KiB of hashes), and the first page's start. Fresh memory
 * costs a page fault per 4 KiB (some 10 µs on a virtual machine): small pages keep the cost
 * of a new one small, and replicas in one process (a server's spaces, tests, benchmarks)
 * that receive the same runs add theirs at the same run.
 */
const PAGE_SHIFT = 6;
const PAGE_ROWS = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_ROWS - 1;
const FIRST_ROWS = 16;

let tablesMade = 0;

/**
 * The deps list's first size: 16 to 31 entries, by the order tables are made, so that
 * replicas fed the same runs in one process do not all double theirs at the same run.
 */
function firstDepRoom(): number {
  tablesMade = (tablesMade + 1) % 16;
  return 16 + tablesMade;
}

/** A row's numbers, at these offsets. */
const F_ACTOR = 0;
const F_SEQ = 1;
const F_COUNT = 2;
const F_WALL = 3;
const F_LOGICAL = 4;
const F_DEPS = 5;
const F_FLAGS = 6;
const F_STORED_AT = 7;
const ROW = 8;

const HASHED = 1;
const IN_MEMORY = 2;

function isRun(body: Run | ArrayBufferLike): body is Run {
  return 'changes' in body;
}

type Column = Uint8Array | Uint32Array | Float64Array;

/** A copy of `column` with room for at least `size` values (twice as many as it had, or more). */
function grown<C extends Column>(column: C, size: number): C {
  const next = new (column.constructor as new (n: number) => C)(Math.max(size, 2 * column.length));
  (next as Uint8Array).set(column as Uint8Array);
  return next;
}
