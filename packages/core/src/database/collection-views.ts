import type { ActorNames } from '../document/read.js';
import { readDoc } from '../document/read.js';
import type { SpaceState, TouchedDoc } from '../document/space-state.js';
import { CollectionView, type Known } from './collection-view.js';

/**
 * A space's collections as read: one view per collection (its documents, indexes and live
 * queries), made on first use, reading documents from the space's state as it is now.
 */
export class CollectionViews {
  private readonly views = new Map<string, CollectionView>();

  constructor(
    /** The space's state now (a space started from a snapshot gets a new one). */
    private readonly state: () => SpaceState,
    private readonly actorNames: ActorNames,
  ) {}

  get(collection: string): CollectionView {
    return this.views.get(collection) ?? this.create(collection);
  }

  /** Collections that have a view (opened, or refreshed). */
  names(): IterableIterator<string> {
    return this.views.keys();
  }

  /** Documents a collection's view holds (0 without a view). */
  size(collection: string): number {
    return this.views.get(collection)?.size ?? 0;
  }

  /** Puts changed documents into their collection's view and tells its live queries. */
  refresh(
    collection: string,
    each: (visit: (id: string, doc: Known) => void) => void,
    count: number,
  ): void {
    const view = this.get(collection);
    const changes = view.applyAll(each, count);
    if (changes.length > 0) view.live.notify(changes);
  }

  /** Refreshes these documents (a document may recur), read from the state. */
  refreshDocs(touched: readonly TouchedDoc[]): void {
    if (touched.length === 1) {
      // Mostly one (a change as made): no grouping by collection, no set of ids.
      const { collection, id } = touched[0]!;
      const view = this.get(collection);
      const changes = view.touched(id);
      if (changes.length > 0) view.live.notify(changes);
      return;
    }
    const byCollection = new Map<string, Set<string>>();
    for (const { collection, id } of touched) {
      const ids = byCollection.get(collection);
      if (ids) ids.add(id);
      else byCollection.set(collection, new Set([id]));
    }
    for (const [collection, ids] of byCollection) {
      const view = this.get(collection);
      const changes = view.touchedIds(ids);
      if (changes.length > 0) view.live.notify(changes);
    }
  }

  /** Refreshes every document of the state (a space that started from a snapshot). */
  refreshAll(): void {
    for (const [collection, docs] of this.state().collections) {
      const each = (visit: (id: string, doc: Known) => void) => {
        for (const [id, node] of docs) visit(id, readDoc(node, id, this.actorNames));
      };
      this.refresh(collection, each, docs.size);
    }
  }

  /** Fills the views from the state (a space just opened from storage). */
  loadAll(): void {
    for (const [collection, docs] of this.state().collections) {
      this.get(collection).load(
        [...docs].flatMap(([id, node]) => {
          const doc = readDoc(node, id, this.actorNames);
          return doc ? [[id, doc] as [string, typeof doc]] : [];
        }),
      );
    }
  }

  /** (Apart from `get`, which runs per keystroke: a closure there costs a context per call.) */
  private create(collection: string): CollectionView {
    const view = new CollectionView(collection, (id) =>
      readDoc(this.state().doc(collection, id), id, this.actorNames),
    );
    this.views.set(collection, view);
    return view;
  }
}
