import { Tag } from '../encoding/envelope.js';
import type { Value } from '../encoding/value.js';
import type { ActorId } from '../kernel/actor.js';
import { arrayContent } from './content.js';
import { type ContentCodec, valuesCodec } from './content-codec.js';
import { applySeqDelta, encodeSeqDelta } from './delta-codec.js';
import type { SeqInsertOp, SeqOp } from './ops.js';
import { SeqCrdt } from './seq-crdt.js';
import { decodeSeqState, encodeSeqState } from './state-codec.js';

export type ListInsertOp<T extends Value = Value> = SeqInsertOp<T[]>;
export type ListOp<T extends Value = Value> = SeqOp<T[]>;

/**
 * A collaborative list of values: the same tree and FugueMax integration as `TextCrdt`, with
 * one unit per element. Elements are stored as given (treat them as immutable).
 *
 * ```ts
 * const list = new ListCrdt('alice');
 * list.insert(0, ['milk', 'eggs']);
 * list.toArray(); // ['milk', 'eggs']
 * ```
 */
export class ListCrdt<T extends Value = Value> extends SeqCrdt<T[]> {
  constructor(actor: ActorId) {
    super(actor, arrayContent<T>());
  }

  /** The element at visible position `index`, or undefined. */
  get(index: number): T | undefined {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) return undefined;
    const item = this.tree.findVisible(index);
    return item.content[this.tree.hitOffset];
  }

  toArray(): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks()) for (const v of chunk) out.push(v);
    return out;
  }

  /** The full state with its history (tombstones keep no values). */
  encode(): Uint8Array {
    return encodeSeqState<T[]>(this, Tag.list, valuesCodec as unknown as ContentCodec<T[]>);
  }

  /** What a replica at `version` lacks (see TextCrdt.encodeSince). */
  encodeSince(version: Readonly<Record<ActorId, number>>): Uint8Array {
    return encodeSeqDelta<T[]>(
      this,
      version,
      Tag.listDelta,
      valuesCodec as unknown as ContentCodec<T[]>,
    );
  }

  /** Applies `encodeSince`'s bytes (see TextCrdt.applyDelta). */
  applyDelta(bytes: Uint8Array): boolean {
    return applySeqDelta<T[]>(
      this,
      bytes,
      Tag.listDelta,
      valuesCodec as unknown as ContentCodec<T[]>,
    );
  }

  /** Reads `encode()`'s bytes into a replica for `actor`. Throws DecodeError on bad bytes. */
  static decode<T extends Value = Value>(bytes: Uint8Array, actor: ActorId): ListCrdt<T> {
    const crdt = new ListCrdt<T>(actor);
    decodeSeqState<T[]>(bytes, Tag.list, valuesCodec as unknown as ContentCodec<T[]>, crdt);
    return crdt;
  }
}
