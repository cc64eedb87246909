import { encodeEnvelope, FORMAT_VERSION, Tag } from '../encoding/envelope.js';
import { Reader } from '../encoding/reader.js';
import type { ActorId } from '../kernel/actor.js';
import { HASH_BYTES, type Hash } from './hash.js';
import { sha256Of } from './sha256.js';

/** What `encodeRuns` writes before a single run: a store keeps each run of its log so. */
export const ONE_RUN_HEADER = encodeEnvelope(Tag.runs, (w) => w.varuint(1));

/** Runs of up to this many changes read them when sealed (defining a getter costs more). */
const EAGER_CHANGES = 32;
const NONE: readonly never[] = [];

/** A change as a run holds it (run.ts's ChangeEntry, which this file cannot import). */
interface StoredChange {
  readonly wall: number;
  readonly logical: number;
  readonly payload: Uint8Array;
}

/**
 * A run read from bytes, or sealed by its log, that keeps them: its canonical encoding, the
 * body its hash covers and then the hash (as `writeRun` writes it). The run decoder is strict
 * (a run has one encoding), so these bytes say exactly what the fields say: the log verifies
 * the hash on them instead of encoding the run again, and storage and relays copy them as they
 * came. Only the decoder and the log's RunBuilder make one (a `Run` of run.ts, which this file
 * cannot import: run.ts imports it), and the bytes are private: a copy of the fields
 * (`{ ...run }`) is a plain run again, verified and encoded from its fields.
 */
export class EncodedRun {
  /** ONE_RUN_HEADER, then the run's encoding: the run as its log's store keeps it. */
  readonly #stored: Uint8Array;
  #count: number;
  /**
   * The changes, with payloads that are views into the stored bytes. A long sealed local run
   * reads them from its bytes when first asked (an own enumerable getter, so a copy of the
   * fields still has them): typing makes runs of many changes, which are stored and sent, not
   * looked at one by one.
   */
  readonly changes: readonly StoredChange[];

  constructor(
    readonly actor: ActorId,
    readonly seq: number,
    readonly deps: readonly Hash[],
    changes: readonly StoredChange[],
    readonly hash: Hash,
    stored: Uint8Array,
  ) {
    this.#stored = stored;
    this.#count = changes.length;
    this.changes = changes;
  }

  /**
   * A sealed run whose `count` changes start at `at` in `stored`: read now if few, else when
   * first asked.
   */
  static sealed(
    actor: ActorId,
    seq: number,
    deps: readonly Hash[],
    hash: Hash,
    stored: Uint8Array,
    at: number,
    count: number,
  ): EncodedRun {
    if (count <= EAGER_CHANGES) {
      const changes = EncodedRun.readChanges(stored, at, count);
      return new EncodedRun(actor, seq, deps, changes, hash, stored);
    }
    const run = new EncodedRun(actor, seq, deps, NONE, hash, stored);
    run.#count = count;
    let read: readonly StoredChange[] | undefined;
    Object.defineProperty(run, 'changes', {
      get: () => {
        read ??= EncodedRun.readChanges(stored, at, count);
        return read;
      },
      enumerable: true,
    });
    return run;
  }

  /**
   * `count` changes as `writeRun` writes them (wall delta, logical, payload), from `at` in
   * bytes known to hold them (written by this build or already checked by the decoder).
   */
  static readChanges(bytes: Uint8Array, at: number, count: number): StoredChange[] {
    const r = new Reader(bytes.subarray(at));
    const out = new Array<StoredChange>(count);
    let wall = 0;
    for (let i = 0; i < count; i++) {
      wall += r.varint();
      const logical = r.varuint();
      const payload = r.bytes();
      out[i] = { wall, logical, payload };
    }
    return out;
  }

  /** How many changes a run that keeps its bytes holds (without reading them). */
  static countOf(run: object): number | undefined {
    return #stored in run ? run.#count : undefined;
  }

  /** The canonical encoding of a run read from bytes; undefined for any other run. */
  static bytesOf(run: object): Uint8Array | undefined {
    return #stored in run ? run.#stored.subarray(ONE_RUN_HEADER.length) : undefined;
  }

  /**
   * Whether a run read from bytes matches the hash at their end; undefined for any other run.
   */
  static hashMatches(run: object): boolean | undefined {
    if (!(#stored in run)) return undefined;
    const stored = run.#stored;
    return hashAtEndMatches(stored, ONE_RUN_HEADER.length);
  }

  /** `encodeRuns([run])` of a run read from bytes, not copied: never to be modified. */
  static storedOf(run: object): Uint8Array | undefined {
    return #stored in run ? run.#stored : undefined;
  }
}

/** What a run's hash covers before its body (see `computeRunHash`). */
export const HASHED_PREFIX = new Uint8Array([FORMAT_VERSION, Tag.run]);

/** Where `hashAtEndMatches` computes a digest (it only compares it). */
const scratchDigest = new Uint8Array(HASH_BYTES);

/** Whether the hash at the end of a run's encoding is the SHA-256 of what it covers. */
function hashAtEndMatches(bytes: Uint8Array, start: number): boolean {
  const end = bytes.length - HASH_BYTES;
  if (end < start) return false;
  const digest = sha256Of(HASHED_PREFIX, bytes, start, end, scratchDigest);
  for (let i = 0; i < HASH_BYTES; i++) if (digest[i] !== bytes[end + i]) return false;
  return true;
}
