import { type ApplyContext, applyOps } from './apply.js';
import {
  type DocNode,
  emptyDoc,
  isDocEmpty,
  MAX_ACTORS,
  MAX_DOT_COUNTER,
  type PackedDot,
  packDot,
} from './node.js';
import type { DocEdit } from './ops.js';
import type { ActorTable } from './payload.js';

/** A document that a change touched. */
export interface TouchedDoc {
  readonly collection: string;
  readonly id: string;
}

/**
 * The joined state of a space's documents: collections of document CRDTs, the actor table
 * that packed dots index into, and each actor's dot counter (how many dots it has created).
 */
export class SpaceState implements ActorTable {
  readonly collections = new Map<string, Map<string, DocNode>>();
  private readonly actors: string[] = [];
  private readonly actorIndexes = new Map<string, number>();
  private readonly dotCounters: number[] = [];

  name(index: number): string {
    const id = this.actors[index];
    if (id === undefined) throw new RangeError(`no actor with index ${index}`);
    return id;
  }

  index(id: string): number {
    let index = this.actorIndexes.get(id);
    if (index === undefined) {
      index = this.actors.length;
      if (index >= MAX_ACTORS) throw new RangeError(`a space holds at most ${MAX_ACTORS} actors`);
      this.actors.push(id);
      this.actorIndexes.set(id, index);
      this.dotCounters.push(0);
    }
    return index;
  }

  actorIds(): readonly string[] {
    return this.actors;
  }

  dotCounter(actor: number): number {
    return this.dotCounters[actor] ?? 0;
  }

  setDotCounter(actor: number, counter: number): void {
    this.dotCounters[actor] = counter;
  }

  doc(collection: string, id: string): DocNode | undefined {
    return this.collections.get(collection)?.get(id);
  }

  /** Puts a document node in place (or removes it when it holds nothing). */
  setDoc(collection: string, id: string, node: DocNode): void {
    let docs = this.collections.get(collection);
    if (isDocEmpty(node)) {
      docs?.delete(id);
      return;
    }
    if (!docs) {
      docs = new Map();
      this.collections.set(collection, docs);
    }
    docs.set(id, node);
  }

  /**
   * Applies the edits of one change by `actor`, stamped `wall.logical`. Returns the documents
   * touched, in edit order.
   */
  applyChange(
    actor: number,
    wall: number,
    logical: number,
    edits: readonly DocEdit[],
  ): readonly TouchedDoc[] {
    const ctx = new ChangeContext(this.name(actor), actor, wall, logical, this.dotCounter(actor));
    for (const edit of edits) {
      const node = this.doc(edit.collection, edit.id) ?? emptyDoc();
      applyOps(node, edit.ops, ctx);
      this.setDoc(edit.collection, edit.id, node);
    }
    this.dotCounters[actor] = ctx.counter;
    return edits; // (each names its collection and id)
  }
}

/** One change being applied: its stamp, and its actor's dots from the counter after `counter`. */
class ChangeContext implements ApplyContext {
  constructor(
    readonly actorId: string,
    private readonly actor: number,
    readonly wall: number,
    readonly logical: number,
    public counter: number,
  ) {}

  nextDot(): PackedDot {
    if (this.counter + 1 > MAX_DOT_COUNTER)
      throw new RangeError('an actor ran out of dots in this space');
    this.counter += 1;
    return packDot(this.actor, this.counter);
  }
}

/** Hands out an actor's next dots, from the counter after `last`. */
export function dotAllocator(
  actor: number,
  last: number,
): { next: () => PackedDot; skip: (n: number) => void; last: () => number } {
  let counter = last;
  const take = (n: number) => {
    if (counter + n > MAX_DOT_COUNTER)
      throw new RangeError('an actor ran out of dots in this space');
    counter += n;
  };
  return {
    next: () => {
      take(1);
      return packDot(actor, counter);
    },
    skip: take,
    last: () => counter,
  };
}
