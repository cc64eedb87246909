import type { PackedDot } from './node.js';
import type { DocEdit } from './ops.js';

/** The kind of op a continuation payload holds: an edit of a text or of a list. */
export type SeqEditKind = 'editText' | 'editList';

/**
 * What a change's payload may refer back to within its run: the sequence the change before it
 * edited, and where that change's edits were, so typing costs a few bytes per keystroke
 * (`next-edit-codec.ts`). Writer and reader keep one each, from the run's first change on,
 * and update it the same way after every change: a change whose only op edits one text or list
 * field sets it (a full payload starts its predictions afresh, a continuation goes on with
 * them); any other change clears it. Only a run's own changes in order build it, so a run
 * decodes on its own, and the first change of a run is always a full payload.
 */
export class EditContext {
  /** The edited field, when the last change was a lone sequence edit. */
  collection: string | undefined = undefined;
  id = '';
  path: readonly string[] = [];
  target: PackedDot = 0;
  kind: SeqEditKind = 'editText';
  /** Whether an insert was noted since the field was set (the origins below are its). */
  inserted = false;
  /** The last insert's left origin (actor null: the start) and its length in units. */
  leftActor: string | null = null;
  leftSeq = 0;
  length = 0;
  /** The last insert's right origin (actor null: the end). */
  rightActor: string | null = null;
  rightSeq = 0;
  /** The seq the next written id is a delta from: where the editing was last. */
  ref = 0;

  constructor(
    /** The run's actor: the author of every change in it (actor 0 of a continuation). */
    readonly author: string,
  ) {}

  /** Forgets the field: the next change must be a full payload. */
  clear(): void {
    this.collection = undefined;
  }

  /** Whether a change editing this field may be written as a continuation. */
  matches(
    collection: string,
    id: string,
    path: readonly string[],
    target: PackedDot,
    kind: SeqEditKind,
  ): boolean {
    return (
      this.collection === collection &&
      this.id === id &&
      this.target === target &&
      this.kind === kind &&
      samePath(this.path, path)
    );
  }

  /** Starts predictions afresh on a field (after a full payload that edits only it). */
  start(
    collection: string,
    id: string,
    path: readonly string[],
    target: PackedDot,
    kind: SeqEditKind,
  ): void {
    this.collection = collection;
    this.id = id;
    this.path = path;
    this.target = target;
    this.kind = kind;
    this.inserted = false;
    this.ref = 0;
  }

  /** Notes an insert's origins and length (in the order the change's edits come). */
  noteInsert(
    leftActor: string | null,
    leftSeq: number,
    length: number,
    rightActor: string | null,
    rightSeq: number,
  ): void {
    this.inserted = true;
    this.leftActor = leftActor;
    this.leftSeq = leftActor === null ? 0 : leftSeq;
    this.length = length;
    this.rightActor = rightActor;
    this.rightSeq = rightActor === null ? 0 : rightSeq;
    // Typing on: the next edit is usually next to the units just inserted.
    if (leftActor !== null) this.ref = leftSeq + length;
    else if (rightActor !== null) this.ref = rightSeq;
  }

  /** Notes a delete by the seq of its last range (backspacing goes on from there). */
  noteDelete(lastSeq: number): void {
    this.ref = lastSeq;
  }

  /** The predicted left origin's seq (valid when `predictsLeft`): right after the last insert. */
  get nextLeftSeq(): number {
    return this.leftSeq + this.length;
  }

  get predictsLeft(): boolean {
    return this.inserted && this.leftActor !== null;
  }

  get predictsRight(): boolean {
    return this.inserted && this.rightActor !== null;
  }

  /**
   * Sets the context from a change decoded in full: its field if its only op edits a sequence
   * (predictions afresh, then its edits), else none.
   */
  afterFull(edits: readonly DocEdit[], length: (content: unknown) => number): void {
    const op = edits.length === 1 && edits[0]!.ops.length === 1 ? edits[0]!.ops[0]! : undefined;
    if (op === undefined || (op.kind !== 'editText' && op.kind !== 'editList')) {
      this.clear();
      return;
    }
    const { collection, id } = edits[0]!;
    this.start(collection, id, op.path, op.target, op.kind);
    for (const edit of op.edits) {
      if (edit.kind === 'insert') {
        const { left, right } = edit;
        this.noteInsert(
          left?.actor ?? null,
          left?.seq ?? 0,
          length(edit.content),
          right?.actor ?? null,
          right?.seq ?? 0,
        );
      } else this.noteDelete(edit.ranges[edit.ranges.length - 1]!.seq);
    }
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
