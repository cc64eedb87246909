import { applyOps } from '../document/apply.js';
import { cloneDoc, type DocNode, emptyDoc } from '../document/node.js';
import type { DocEdit, DocOp } from '../document/ops.js';
import { type Doc, readDoc } from '../document/read.js';
import { dotAllocator, type SpaceState } from '../document/space-state.js';

interface Touched {
  readonly collection: string;
  readonly id: string;
  readonly node: DocNode;
  readonly ops: DocOp[];
}

/**
 * The writes of one `transact` call, kept apart until commit: each touched document is a
 * private copy with the transaction's operations applied, so reads inside the transaction see
 * its writes, and an abort just drops the copies.
 */
export class Transaction {
  private readonly touched = new Map<string, Touched>();
  private readonly dots;

  constructor(
    private readonly state: SpaceState,
    readonly actor: number,
    readonly wall: number,
    readonly logical: number,
  ) {
    this.dots = dotAllocator(actor, state.dotCounter(actor));
  }

  /** The document node as this transaction sees it (its own copy once touched). */
  node(collection: string, id: string): DocNode | undefined {
    return this.touched.get(key(collection, id))?.node ?? this.state.doc(collection, id);
  }

  read(collection: string, id: string, committed: Doc | undefined): Doc | undefined {
    const own = this.touched.get(key(collection, id));
    return own ? readDoc(own.node, id, (i) => this.state.name(i)) : committed;
  }

  record(collection: string, id: string, ops: readonly DocOp[]): void {
    if (ops.length === 0) return;
    const k = key(collection, id);
    let entry = this.touched.get(k);
    if (!entry) {
      const current = this.state.doc(collection, id);
      entry = { collection, id, node: current ? cloneDoc(current) : emptyDoc(), ops: [] };
      this.touched.set(k, entry);
    }
    applyOps(entry.node, ops, { wall: this.wall, logical: this.logical, nextDot: this.dots.next });
    entry.ops.push(...ops);
  }

  get empty(): boolean {
    return this.touched.size === 0;
  }

  edits(): DocEdit[] {
    return [...this.touched.values()].map((t) => ({
      collection: t.collection,
      id: t.id,
      ops: t.ops,
    }));
  }

  /** Moves the copies into the state. Returns the touched documents. */
  commit(): { collection: string; id: string }[] {
    for (const t of this.touched.values()) this.state.setDoc(t.collection, t.id, t.node);
    this.state.setDotCounter(this.actor, this.dots.last());
    return [...this.touched.values()].map((t) => ({ collection: t.collection, id: t.id }));
  }
}

function key(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
