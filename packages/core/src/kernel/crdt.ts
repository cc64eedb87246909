import type { Reader } from '../encoding/reader.js';
import type { Writer } from '../encoding/writer.js';

/**
 * The contract every CRDT type meets. A state is plain data; a type is a bag of functions.
 *
 * - `join` is the least upper bound: commutative, associative, idempotent. It never mutates
 *   its arguments.
 * - Mutators live beside each type as functions that return a *delta*: a (small) state that,
 *   joined into the original, gives the mutated state.
 * - `write`/`read` encode the body of a state; `encode`/`decode` wrap it in a versioned
 *   envelope (see encoding/envelope.ts). `read` is total: it returns a valid state or throws
 *   DecodeError.
 */
export interface CrdtType<S> {
  readonly name: string;
  empty(): S;
  join(a: S, b: S): S;
  equals(a: S, b: S): boolean;
  write(w: Writer, state: S): void;
  read(r: Reader): S;
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
}
