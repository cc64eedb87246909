import type { Value } from '../encoding/value.js';
import type { PackedDot } from './node.js';

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
    };

export type DocOpKind = DocOp['kind'];

/** Whether an operation creates an entry (and so takes the change's next dot). */
export function createsDot(op: DocOp): boolean {
  return op.kind !== 'clear' && op.kind !== 'remove';
}

/** The operations of one transaction on one document. */
export interface DocEdit {
  readonly collection: string;
  readonly id: string;
  readonly ops: readonly DocOp[];
}
