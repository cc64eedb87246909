import type { Doc } from '../document/read.js';
import {
  type CollectionIndexes,
  type CompiledQuery,
  compileQuery,
  type DocSource,
  executeQuery,
  matches,
  type QuerySpec,
} from '../query/index.js';

/** One document's change, as live queries and indexes see it. */
export interface DocChange {
  readonly id: string;
  readonly before: Doc | undefined;
  readonly after: Doc | undefined;
}

/** What live queries read: the documents and their current indexes. */
export interface LiveSource extends DocSource {
  readonly indexes: CollectionIndexes;
}

/** What changed in a live query's result since the last call. */
export interface ResultChange {
  /** Documents that entered the result. */
  readonly added: readonly Doc[];
  /** Documents that left it. */
  readonly removed: readonly Doc[];
  /** Documents still in the result whose content changed. */
  readonly updated: readonly Doc[];
}

export type LiveCallback = (result: readonly Doc[], change: ResultChange) => void;

interface Subscription {
  readonly query: CompiledQuery;
  readonly callback: LiveCallback;
  result: readonly Doc[];
}

/**
 * The live queries of one collection. After each change, only the queries that a changed
 * document could affect (it matched before or matches now) run again; the others cost one
 * filter check per changed document.
 */
export class LiveQueries {
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly view: LiveSource) {}

  get count(): number {
    return this.subscriptions.size;
  }

  /** Calls `callback` now with the current result, then after every change that affects it. */
  subscribe(spec: QuerySpec, callback: LiveCallback): () => void {
    const query = compileQuery(spec);
    const result = executeQuery(query, this.view, this.view.indexes).docs;
    const sub: Subscription = { query, callback, result };
    this.subscriptions.add(sub);
    callback(result, { added: result, removed: [], updated: [] });
    return () => {
      this.subscriptions.delete(sub);
    };
  }

  /** Called by the space after a local or remote change touched these documents. */
  notify(changes: readonly DocChange[]): void {
    if (changes.length === 0) return;
    for (const sub of [...this.subscriptions]) {
      if (!this.subscriptions.has(sub)) continue; // unsubscribed by an earlier callback
      const filter = sub.query.filter;
      const affected = changes.some(
        (c) =>
          (c.before !== undefined && matches(filter, c.before)) ||
          (c.after !== undefined && matches(filter, c.after)),
      );
      if (!affected) continue;
      const previous = sub.result;
      const next = executeQuery(sub.query, this.view, this.view.indexes).docs;
      sub.result = next;
      if (orderChanged(previous, next)) sub.callback(next, diffResults(previous, next));
    }
  }
}

function diffResults(before: readonly Doc[], after: readonly Doc[]): ResultChange {
  const old = new Map(before.map((d) => [d.id as string, d]));
  const now = new Map(after.map((d) => [d.id as string, d]));
  const added = after.filter((d) => !old.has(d.id as string));
  const removed = before.filter((d) => !now.has(d.id as string));
  const updated = after.filter((d) => old.has(d.id as string) && old.get(d.id as string) !== d);
  return { added, removed, updated };
}

function orderChanged(a: readonly Doc[], b: readonly Doc[]): boolean {
  return a.length !== b.length || a.some((d, i) => d !== b[i]);
}
