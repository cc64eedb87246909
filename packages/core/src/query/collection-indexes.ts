// The secondary indexes of one collection, kept in step with its docs by the database layer.
import { assert, QueryError } from '../errors.js';
import { type Doc, describe, parseFieldPath } from './doc.js';
import { SortedIndex } from './sorted-index.js';

export interface IndexInfo {
  /** The fields joined with '+': 'status+priority'. */
  readonly name: string;
  readonly fields: readonly string[];
  /** Entries: one per doc in the collection. */
  readonly size: number;
}

/**
 * Sorted secondary indexes over a collection's docs: single-field (`['status']`) and compound
 * (`['status', 'priority']`), fields as dot paths. Every doc has an entry in every index,
 * keyed by (its values of the index fields, id). The caller keeps them in step: `upsert` on
 * every insert or update (with the doc as it was before), `remove` on every delete, or `load`
 * to rebuild from all docs at once.
 */
export class CollectionIndexes {
  /** @internal The indexes, for the planner and the executor. */
  readonly indexes: readonly SortedIndex[];

  constructor(specs: readonly (readonly string[])[] = []) {
    if (!Array.isArray(specs)) {
      throw new QueryError(`index specs must be an array of field lists, got ${describe(specs)}`);
    }
    const byName = new Map<string, SortedIndex>();
    for (const [i, fields] of specs.entries()) {
      const at = `index ${i}`;
      if (!Array.isArray(fields) || fields.length === 0) {
        throw new QueryError(
          `${at} must be a non-empty array of field paths, like ['status', 'priority']`,
        );
      }
      const paths = fields.map((f: unknown, j) => parseFieldPath(f, `${at}[${j}]`));
      if (new Set(fields).size !== fields.length) {
        throw new QueryError(`${at} names a field twice: [${fields.join(', ')}]`);
      }
      const name = fields.join('+');
      if (byName.has(name)) throw new QueryError(`index ${name} is declared twice`);
      byName.set(name, new SortedIndex(name, Object.freeze([...fields]), Object.freeze(paths)));
    }
    this.indexes = Object.freeze([...byName.values()]);
  }

  /** Indexes `after` under `id`; `before` is the doc as last indexed (undefined: new doc). */
  upsert(id: string, before: Doc | undefined, after: Doc): void {
    assert(after.id === id, `upsert: the doc's id is not "${id}"`);
    for (const index of this.indexes) index.upsert(id, before, after);
  }

  /** Drops the doc `id`; `before` is the doc as last indexed. */
  remove(id: string, before: Doc): void {
    for (const index of this.indexes) index.remove(id, before);
  }

  /** Rebuilds every index from all the docs of the collection (one sort per index). */
  load(docs: Iterable<Doc>): void {
    const all = [...docs];
    const ids = new Set<string>();
    for (const doc of all) {
      assert(typeof doc.id === 'string', 'load: every doc needs a string id');
      assert(!ids.has(doc.id), `load: doc "${doc.id}" given twice`);
      ids.add(doc.id);
    }
    for (const index of this.indexes) index.load(all);
  }

  list(): IndexInfo[] {
    return this.indexes.map((index) => ({
      name: index.name,
      fields: index.fields,
      size: index.size,
    }));
  }
}
