import { Tag } from '../encoding/envelope.js';
import { InvalidValueError } from '../errors.js';
import type { ActorId } from '../kernel/actor.js';
import { textContent } from './content.js';
import { rawTextCodec, textCodec } from './content-codec.js';
import { applySeqDelta, encodeSeqDelta } from './delta-codec.js';
import type { TreeNode } from './item.js';
import type { SeqInsertOp, SeqOp } from './ops.js';
import { SeqCrdt } from './seq-crdt.js';
import { decodeSeqState, encodeSeqState } from './state-codec.js';

export type TextInsertOp = SeqInsertOp<string>;
export type TextOp = SeqOp<string>;

/**
 * Collaborative plain text: a `SeqCrdt` of UTF-16 code units. Positions and lengths are in
 * UTF-16 code units, as JavaScript strings count them; an insert or delete whose position
 * would fall inside a surrogate pair throws InvalidPositionError, and text with a lone
 * surrogate is refused (InvalidValueError).
 *
 * ```ts
 * const a = new TextCrdt('alice');
 * const b = new TextCrdt('bob');
 * const op = a.insert(0, 'hello')!;
 * b.apply(op);
 * b.toString(); // 'hello'
 * ```
 */
export class TextCrdt extends SeqCrdt<string> {
  constructor(actor: ActorId) {
    super(actor, textContent);
  }

  override insert(pos: number, text: string): TextInsertOp | undefined {
    if (typeof text !== 'string') throw new InvalidValueError('text must be a string');
    if (!text.isWellFormed()) throw new InvalidValueError('text contains a lone surrogate');
    return super.insert(pos, text);
  }

  /** Deletes `del` units at `pos`, then inserts `text` there (a splice); returns the ops. */
  splice(pos: number, del: number, text = ''): TextOp[] {
    const out: TextOp[] = [];
    const d = this.delete(pos, del);
    if (d !== undefined) out.push(d);
    const i = this.insert(pos, text);
    if (i !== undefined) out.push(i);
    return out;
  }

  override apply(op: TextOp): boolean {
    if (op.kind === 'insert' && !op.content.isWellFormed()) {
      throw new InvalidValueError('text contains a lone surrogate');
    }
    return super.apply(op);
  }

  /** The visible text. After an edit only the joins on the edited path are redone. */
  override toString(): string {
    return joined(this.tree.root);
  }

  /**
   * The full state with its history (every run, tombstones included; deleted text is not
   * kept), compact: runs with predicted origins, the visible text as one UTF-8 block.
   */
  encode(): Uint8Array {
    return encodeSeqState(this, Tag.text, textCodec);
  }

  /**
   * What a replica at `version` (see `version()`) lacks: the runs past it and the tombstones,
   * compact. `applyDelta` on that replica brings it up to date.
   */
  encodeSince(version: Readonly<Record<ActorId, number>>): Uint8Array {
    return encodeSeqDelta(this, version, Tag.textDelta, rawTextCodec);
  }

  /**
   * Applies `encodeSince`'s bytes (idempotent). Throws DecodeError on bad bytes and
   * MissingDependencyError if they build on units this replica lacks, changing nothing.
   * Returns false if nothing was new.
   */
  applyDelta(bytes: Uint8Array): boolean {
    return applySeqDelta(this, bytes, Tag.textDelta, rawTextCodec);
  }

  /** Reads `encode()`'s bytes into a replica for `actor`. Throws DecodeError on bad bytes. */
  static decode(bytes: Uint8Array, actor: ActorId): TextCrdt {
    const crdt = new TextCrdt(actor);
    decodeSeqState(bytes, Tag.text, textCodec, crdt);
    return crdt;
  }
}

/** The text under `node`, joined once and kept until an edit below it (tree.ts clears it). */
function joined(node: TreeNode<string>): string {
  if (node.joined !== null) return node.joined;
  let out = '';
  if (node.isLeaf) {
    for (const item of node.items) if (!item.deleted) out += item.content;
  } else {
    for (const child of node.children) out += joined(child);
  }
  node.joined = out;
  return out;
}
