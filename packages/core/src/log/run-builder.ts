import { releaseWriter, takeWriter, type Writer } from '../encoding/writer.js';
import type { ActorId } from '../kernel/actor.js';
import { EncodedRun, HASHED_PREFIX, ONE_RUN_HEADER } from './encoded-run.js';
import { bytesToHex, HASH_BYTES, type Hash, writeHash } from './hash.js';

/** The largest buffer a builder keeps for its next run. */
const MAX_KEPT = 1 << 20;

import { sha256 } from './sha256.js';

/**
 * The open run of a log's own actor, kept as the bytes its encoding will hold: per change the
 * stamp (wall as a delta, logical) and the payload, appended to one growing buffer. A change
 * costs a few bytes written, not an object (or two: an entry and a payload array) kept alive
 * per keystroke. Sealing writes the run's head in front, hashes the whole once and hands out
 * an EncodedRun that keeps those bytes: the store and the wire take them as they are.
 */
export class RunBuilder {
  /** Reused from run to run (sealing copies the bytes out): a run of one costs no buffer. */
  private buf = new Uint8Array(256);
  private pos = 0;
  private wall = 0;
  private logical = 0;
  actor: ActorId = '';
  seq = 0;
  deps: readonly Hash[] = [];
  count = 0;

  /** Starts a new run (the previous one was sealed). */
  start(actor: ActorId, seq: number, deps: readonly Hash[]): void {
    this.actor = actor;
    this.seq = seq;
    this.deps = deps;
    this.pos = 0;
    this.wall = 0;
    this.logical = 0;
    this.count = 0;
  }

  get lastWall(): number {
    return this.wall;
  }

  get lastLogical(): number {
    return this.logical;
  }

  /** Appends a change whose payload is `payload`. */
  add(wall: number, logical: number, payload: Uint8Array): void {
    const n = payload.length;
    const at = this.stamp(wall, logical, n);
    const buf = this.buf;
    if (n > 64) buf.set(payload, at);
    else for (let i = 0; i < n; i++) buf[at + i] = payload[i]!;
    this.pos = at + n;
  }

  /** Appends a change whose payload is what `payload` holds (copied: the writer is reusable). */
  addWritten(wall: number, logical: number, payload: Writer): void {
    const at = this.stamp(wall, logical, payload.length);
    payload.copyTo(this.buf, at);
    this.pos = at + payload.length;
  }

  /** Writes the stamp and the payload's length; returns where the payload goes (room made). */
  private stamp(wall: number, logical: number, length: number): number {
    // At most 8 + 5 + 8 bytes of varints, then the payload.
    this.ensure(24 + length);
    const delta = wall - this.wall;
    if (!Number.isInteger(delta) || Math.abs(delta) >= 2 ** 52 || !Number.isSafeInteger(logical)) {
      throw new RangeError(`a change stamp out of range: ${wall}.${logical}`);
    }
    let pos = this.varuint(this.pos, delta >= 0 ? delta * 2 : -delta * 2 - 1);
    pos = this.varuint(pos, logical);
    pos = this.varuint(pos, length);
    this.wall = wall;
    this.logical = logical;
    this.count += 1;
    return pos;
  }

  private varuint(pos: number, n: number): number {
    // Small numbers (nearly every stamp delta and length) in 31-bit integer arithmetic; a run's
    // first wall (a delta from 0) apart, so it does not throw the optimized code away.
    if (n >= 0x40000000) return bigVaruint(this.buf, pos, n);
    const buf = this.buf;
    while (n >= 0x80) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    return pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * The changes so far, read back from a copy (the buffer is reused once the run is sealed):
   * for iterating an open run; sealing needs no objects.
   */
  changes(): EncodedRun['changes'] {
    return EncodedRun.readChanges(this.buf.slice(0, this.pos), 0, this.count);
  }

  /**
   * The sealed run: `encodeRuns([run])` is ONE_RUN_HEADER, the head (actor, seq, deps, count),
   * the changes as written here and the hash of `[version, Tag.run]` + head + changes.
   */
  seal(): EncodedRun {
    const head = takeWriter();
    head.string(this.actor);
    head.varuint(this.seq);
    head.varuint(this.deps.length);
    for (const dep of this.deps) writeHash(head, dep);
    head.varuint(this.count);
    const start = ONE_RUN_HEADER.length;
    const changesAt = start + head.length;
    const end = changesAt + this.pos;
    const stored = new Uint8Array(end + HASH_BYTES);
    stored.set(ONE_RUN_HEADER);
    head.copyTo(stored, start);
    const buf = this.buf;
    if (this.pos > 64) stored.set(buf.subarray(0, this.pos), changesAt);
    else for (let i = 0; i < this.pos; i++) stored[changesAt + i] = buf[i]!; // no view for a few
    const digest = sha256(HASHED_PREFIX, stored.subarray(start, end));
    stored.set(digest, end);
    const hash = bytesToHex(digest);
    releaseWriter(head);
    // A long run's buffer is not kept once it is sealed.
    if (this.buf.length > MAX_KEPT) this.buf = new Uint8Array(256);
    return EncodedRun.sealed(this.actor, this.seq, this.deps, hash, stored, changesAt, this.count);
  }
}

function bigVaruint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[pos++] = n;
  return pos;
}
