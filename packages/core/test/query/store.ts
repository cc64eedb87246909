// A tiny in-memory collection for query tests: docs by id plus their indexes, kept in step.
import {
  CollectionIndexes,
  compileQuery,
  countQuery,
  type DocSource,
  executeQuery,
  explainPlan,
  type QueryResult,
  type QuerySpec,
} from '../../src/index.js';
import type { Doc } from '../../src/query/index.js';

export class TestStore implements DocSource {
  readonly docs = new Map<string, Doc>();
  readonly indexes: CollectionIndexes;

  constructor(indexSpecs: readonly (readonly string[])[] = [], docs: readonly Doc[] = []) {
    this.indexes = new CollectionIndexes(indexSpecs);
    for (const doc of docs) this.docs.set(doc.id as string, doc);
    this.indexes.load(this.docs.values());
  }

  get size(): number {
    return this.docs.size;
  }

  get(id: string): Doc | undefined {
    return this.docs.get(id);
  }

  values(): Iterable<Doc> {
    return this.docs.values();
  }

  put(doc: Doc): void {
    const id = doc.id as string;
    this.indexes.upsert(id, this.docs.get(id), doc);
    this.docs.set(id, doc);
  }

  delete(id: string): void {
    const before = this.docs.get(id);
    if (before === undefined) return;
    this.indexes.remove(id, before);
    this.docs.delete(id);
  }

  query(spec: QuerySpec): QueryResult {
    return executeQuery(compileQuery(spec), this, this.indexes);
  }

  ids(spec: QuerySpec): string[] {
    return this.query(spec).docs.map((d) => d.id as string);
  }

  count(spec: QuerySpec): number {
    return countQuery(compileQuery(spec), this, this.indexes);
  }

  explain(spec: QuerySpec): string {
    return explainPlan(this.query(spec).plan);
  }
}
