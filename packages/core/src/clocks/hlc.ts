import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';
import { ClockDriftError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';

/**
 * A hybrid logical clock timestamp: wall-clock milliseconds, a logical counter for events in
 * the same millisecond (or while the wall clock is behind), and the actor as a tie-breaker, so
 * every two timestamps of different events are ordered.
 */
export interface Hlc {
  readonly wall: number;
  readonly logical: number;
  readonly actor: ActorId;
}

export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0;
}

export function hlcEquals(a: Hlc, b: Hlc): boolean {
  return compareHlc(a, b) === 0;
}

export function maxHlc(a: Hlc, b: Hlc): Hlc {
  return compareHlc(a, b) >= 0 ? a : b;
}

export interface ClockOptions {
  /** Milliseconds since the epoch; `Date.now` unless a test or a platform gives another. */
  now?: () => number;
  /** Remote timestamps further ahead of our wall clock than this are refused. Default 1 day. */
  maxDriftMs?: number;
}

const DEFAULT_MAX_DRIFT_MS = 24 * 60 * 60 * 1000;
/** HLC logical counters stay below this (see `tick`); decoders refuse larger ones. */
export const MAX_LOGICAL = 2 ** 31;

/**
 * The clock of one actor. `now()` is strictly monotonic even when the wall clock goes back;
 * `receive()` moves it past a remote timestamp so causally later events get later stamps.
 */
export class HybridClock {
  private wall = 0;
  private logical = 0;
  private readonly physical: () => number;
  private readonly maxDriftMs: number;

  constructor(
    readonly actor: ActorId,
    options: ClockOptions = {},
  ) {
    this.physical = options.now ?? Date.now;
    this.maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
  }

  /** A timestamp later than every one this clock issued or received. */
  now(): Hlc {
    this.advance();
    return { wall: this.wall, logical: this.logical, actor: this.actor };
  }

  /** `now()` without the object: the new stamp is `lastWall`, `lastLogical`. */
  advance(): void {
    const physical = Math.floor(this.physical());
    if (physical > this.wall) {
      this.wall = physical;
      this.logical = 0;
    } else {
      this.tick();
    }
  }

  /** The wall part of the latest stamp this clock issued or received. */
  get lastWall(): number {
    return this.wall;
  }

  get lastLogical(): number {
    return this.logical;
  }

  /** Observes a remote timestamp. Throws ClockDriftError, changing nothing, if it is too far ahead. */
  receive(remote: Hlc): void {
    const physical = Math.floor(this.physical());
    if (remote.wall > physical + this.maxDriftMs) {
      throw new ClockDriftError(
        `remote clock of ${remote.actor} is ${remote.wall - physical} ms ahead of ours ` +
          `(at most ${this.maxDriftMs} ms allowed); check that machine's clock`,
      );
    }
    if (remote.wall > this.wall || (remote.wall === this.wall && remote.logical > this.logical)) {
      this.wall = remote.wall;
      this.logical = remote.logical;
    }
  }

  /** Restores the clock past a timestamp loaded from storage. */
  advanceTo(stamp: Hlc): void {
    if (stamp.wall > this.wall || (stamp.wall === this.wall && stamp.logical > this.logical)) {
      this.wall = stamp.wall;
      this.logical = stamp.logical;
    }
  }

  private tick(): void {
    // The logical counter is bounded; past it we borrow a millisecond from the future.
    if (this.logical + 1 >= MAX_LOGICAL) {
      this.wall += 1;
      this.logical = 0;
    } else {
      this.logical += 1;
    }
  }
}

export function writeHlc(w: Writer, stamp: Hlc): void {
  w.varuint(stamp.wall);
  w.varuint(stamp.logical);
  w.actor(stamp.actor);
}

export function readHlc(r: Reader): Hlc {
  const wall = r.varuint();
  const logical = r.varuint();
  if (logical >= MAX_LOGICAL) r.fail('HLC logical counter out of range');
  return { wall, logical, actor: r.actor() };
}

export function encodeHlc(stamp: Hlc): Uint8Array {
  return encodeEnvelope(Tag.hlc, (w) => writeHlc(w, stamp));
}

export function decodeHlc(bytes: Uint8Array): Hlc {
  return decodeEnvelope(bytes, Tag.hlc, readHlc);
}
