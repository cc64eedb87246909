import type { ActorId } from '../kernel/actor.js';

/** The id of one unit (a UTF-16 code unit of text, an element of a list): a dot. */
export interface SeqId {
  readonly actor: ActorId;
  readonly seq: number;
}

/**
 * Insert a run: unit `i` of `content` gets the id `(id.actor, id.seq + i)`. The first unit goes
 * between `left` and `right` (null: the start, the end); unit `i > 0` goes right after unit
 * `i - 1`, before the same `right`.
 */
export interface SeqInsertOp<C> {
  readonly kind: 'insert';
  readonly id: SeqId;
  readonly left: SeqId | null;
  readonly right: SeqId | null;
  readonly content: C;
}

/** Ids `seq … seq + len - 1` of one actor. */
export interface SeqIdRange {
  readonly actor: ActorId;
  readonly seq: number;
  readonly len: number;
}

/** Delete the units with these ids (tombstones: the ids stay, the content goes). */
export interface SeqDeleteOp {
  readonly kind: 'delete';
  readonly ranges: readonly SeqIdRange[];
}

export type SeqOp<C> = SeqInsertOp<C> | SeqDeleteOp;

/**
 * A stable position: it names a unit by id, so it moves with concurrent edits. `before` sits
 * right before its unit (text typed at the position goes before the anchor: the cursor moves
 * right), `after` right after it; `start` and `end` are the ends of the sequence. If the unit
 * is deleted, the anchor resolves to where the unit was.
 */
export type Anchor =
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'before' | 'after'; readonly actor: ActorId; readonly seq: number };
