import { encodeEnvelope, FORMAT_VERSION, Tag } from '../encoding/envelope.js';
import type { ActorId } from '../kernel/actor.js';
import { HASH_BYTES, type Hash } from './hash.js';
import { sha256 } from './sha256.js';

/** What `encodeRuns` writes before a single run: a store keeps each run of its log so. */
export const ONE_RUN_HEADER = encodeEnvelope(Tag.runs, (w) => w.varuint(1));

/**
 * A run read from bytes that keeps them: its canonical encoding, the body its hash covers and
 * then the hash (as `writeRun` writes it). The run decoder is strict (a run has one encoding),
 * so these bytes say exactly what the fields say: the log verifies the hash on them instead of
 * encoding the run again, and storage and relays copy them as they came. Only the decoder
 * makes one (a `Run` of run.ts, which this file cannot import: run.ts imports it), and the
 * bytes are private: a copy of the fields (`{ ...run }`) is a plain run again, verified and
 * encoded from its fields.
 */
export class EncodedRun {
  /** ONE_RUN_HEADER, then the run's encoding: the run as its log's store keeps it. */
  readonly #stored: Uint8Array;

  constructor(
    readonly actor: ActorId,
    readonly seq: number,
    readonly deps: readonly Hash[],
    readonly changes: readonly {
      readonly wall: number;
      readonly logical: number;
      readonly payload: Uint8Array;
    }[],
    readonly hash: Hash,
    stored: Uint8Array,
  ) {
    this.#stored = stored;
  }

  /** The canonical encoding of a run read from bytes; undefined for any other run. */
  static bytesOf(run: object): Uint8Array | undefined {
    return #stored in run ? run.#stored.subarray(ONE_RUN_HEADER.length) : undefined;
  }

  /** `encodeRuns([run])` of a run read from bytes, not copied: never to be modified. */
  static storedOf(run: object): Uint8Array | undefined {
    return #stored in run ? run.#stored : undefined;
  }
}

/** What a run's hash covers before its body (see `computeRunHash`). */
const HASHED_PREFIX = new Uint8Array([FORMAT_VERSION, Tag.run]);

/** Whether the hash at the end of a run's encoding is the SHA-256 of what it covers. */
export function encodedHashMatches(bytes: Uint8Array): boolean {
  const end = bytes.length - HASH_BYTES;
  if (end < 0) return false;
  const digest = sha256(HASHED_PREFIX, bytes.subarray(0, end));
  for (let i = 0; i < HASH_BYTES; i++) if (digest[i] !== bytes[end + i]) return false;
  return true;
}
