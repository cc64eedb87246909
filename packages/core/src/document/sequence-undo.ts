import { ListCrdt } from '../text/list-crdt.js';
import { TextCrdt } from '../text/text-crdt.js';
import { type DocNode, fieldAt, type SeqEntry } from './node.js';
import type { DocOp } from './ops.js';

/**
 * Text and list fields are edited in place, shared by a transaction's copy of a document and
 * the committed one (copying a long text per keystroke would cost more than the edit). A
 * transaction that may still abort after an edit (`transact`) saves each sequence it edits,
 * once, and puts the saved state back if it aborts. A single write needs none of this: its ops
 * are encoded before they are applied, and nothing after that can fail.
 */
export class SequenceUndo {
  private readonly saved = new Map<SeqEntry, Uint8Array>();

  /** Saves the sequences `ops` edit in `node`, the first time each is edited. */
  save(node: DocNode, ops: readonly DocOp[]): void {
    for (const op of ops) {
      if (op.kind !== 'editText' && op.kind !== 'editList') continue;
      const entry = fieldAt(node.root, op.path)?.seq.find((e) => e.dot === op.target);
      if (entry && !this.saved.has(entry)) this.saved.set(entry, entry.crdt.encode());
    }
  }

  /** Puts every saved sequence back as it was. */
  restore(): void {
    for (const [entry, bytes] of this.saved) {
      if (entry.kind === 'text') entry.crdt = TextCrdt.decode(bytes, entry.crdt.actor);
      else entry.crdt = ListCrdt.decode(bytes, entry.crdt.actor);
    }
    this.saved.clear();
  }
}
