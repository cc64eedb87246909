import type { Value } from '../encoding/value.js';
import type { SeqDeleteOp, SeqId } from '../text/ops.js';
import type { PackedDot } from './node.js';

/**
 * One edit of a text or list field. An insert names no id: its units are the writing actor's
 * next ones in that sequence, which every replica computes the same way (it applies an actor's
 * changes in order). `left` and `right` are the origins (null: the start, the end).
 */
export type SeqEdit<C> =
  | {
      readonly kind: 'insert';
      readonly left: SeqId | null;
      readonly right: SeqId | null;
      readonly content: C;
    }
  | SeqDeleteOp;

/**
 * What a transaction did to one document, as operations. Each operation is a small delta:
 * the dots it `covers` (overwrites) at its location, and, for the kinds that create something,
 * one new entry whose dot is the change's next dot. Applied in causal order, exactly once (the
 * change log guarantees both), they equal joining the deltas of the delta-state CRDTs.
 */
export type DocOp =
  /** (Re)creates the document: covers everything the writer saw in it, adds an alive marker. */
  | { readonly kind: 'insert'; readonly covers: readonly PackedDot[] }
  /** Deletes the document: covers everything the writer saw, adds a delete marker. */
  | { readonly kind: 'delete'; readonly covers: readonly PackedDot[] }
  /** Writes a register value at `path`, replacing what the writer saw there. */
  | {
      readonly kind: 'set';
      readonly path: readonly string[];
      readonly value: Value;
      readonly covers: readonly PackedDot[];
    }
  /** Removes what the writer saw at `path`. */
  | {
      readonly kind: 'clear';
      readonly path: readonly string[];
      readonly covers: readonly PackedDot[];
    }
  /** A counter field's new totals for the writing actor (replacing its previous entry). */
  | {
      readonly kind: 'count';
      readonly path: readonly string[];
      readonly inc: number;
      readonly dec: number;
      readonly covers: readonly PackedDot[];
    }
  /** Adds an element to a set field. */
  | {
      readonly kind: 'add';
      readonly path: readonly string[];
      readonly value: Value;
      readonly covers: readonly PackedDot[];
    }
  /** Removes the element's dots the writer saw from a set field. */
  | {
      readonly kind: 'remove';
      readonly path: readonly string[];
      readonly value: Value;
      readonly covers: readonly PackedDot[];
    }
  /** Makes a text field holding `initial`, replacing what the writer saw there. */
  | {
      readonly kind: 'text';
      readonly path: readonly string[];
      readonly initial: string;
      readonly covers: readonly PackedDot[];
    }
  /** Makes a list field holding `initial`, replacing what the writer saw there. */
  | {
      readonly kind: 'list';
      readonly path: readonly string[];
      readonly initial: readonly Value[];
      readonly covers: readonly PackedDot[];
    }
  /** Edits the text field made by the write with dot `target` (dropped if it is gone). */
  | {
      readonly kind: 'editText';
      readonly path: readonly string[];
      readonly target: PackedDot;
      readonly edits: readonly SeqEdit<string>[];
      readonly covers: readonly PackedDot[];
    }
  /** Edits the list field made by the write with dot `target` (dropped if it is gone). */
  | {
      readonly kind: 'editList';
      readonly path: readonly string[];
      readonly target: PackedDot;
      readonly edits: readonly SeqEdit<Value[]>[];
      readonly covers: readonly PackedDot[];
    };

export type DocOpKind = DocOp['kind'];

/** Whether an operation creates an entry (and so takes the change's next dot). */
export function createsDot(op: DocOp): boolean {
  return (
    op.kind !== 'clear' && op.kind !== 'remove' && op.kind !== 'editText' && op.kind !== 'editList'
  );
}

/** The operations of one transaction on one document. */
export interface DocEdit {
  readonly collection: string;
  readonly id: string;
  readonly ops: readonly DocOp[];
}
