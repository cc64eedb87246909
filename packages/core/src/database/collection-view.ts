import type { FieldKinds } from '../document/diff.js';
import type { Doc } from '../document/read.js';
import { CollectionIndexes, type DocSource } from '../query/index.js';
import { type DocChange, LiveQueries } from './live-query.js';
import type { StandardSchemaV1 } from './schema.js';

export interface CollectionOptions<
  S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
> {
  /** Any Standard Schema validator (zod, valibot, arktype…); writes that fail it are refused. */
  schema?: S;
  /** Fields that merge as counters or sets, by dot path: `{ votes: 'counter', tags: 'set' }`. */
  fields?: FieldKinds;
  /** Secondary indexes: each a list of dot paths, e.g. `[['status'], ['status', 'due']]`. */
  indexes?: readonly (readonly string[])[];
}

/**
 * A collection's materialized documents (plain objects, kept current on every local and
 * remote change), its indexes and its live queries.
 */
export type { DocChange };

/**
 * A document as it reads now, or null when it has not been read since it changed: the view then
 * reads it when asked (a keystroke in a long text need not build the document's string).
 */
export type Known = Doc | undefined | null;

const NO_CHANGES: DocChange[] = [];
/** What `docs` holds for a stale document until it is read (never handed out: reads freshen). */
const STALE: Doc = Object.freeze({ id: '' });

export class CollectionView implements DocSource {
  private readonly docs = new Map<string, Doc>();
  /**
   * Documents that changed and were not read yet (only while no index or live query needs
   * every version): read on demand through `read`.
   */
  private readonly stale = new Set<string>();
  indexes = new CollectionIndexes([]);
  readonly live = new LiveQueries(this);
  kinds: FieldKinds = {};
  schema: StandardSchemaV1 | undefined;
  private indexSpecs: readonly (readonly string[])[] = [];

  constructor(
    readonly name: string,
    /** Reads a document from the current state. */
    private readonly read: (id: string) => Doc | undefined,
  ) {}

  get size(): number {
    this.freshen();
    return this.docs.size;
  }

  get(id: string): Doc | undefined {
    if (this.stale.size > 0 && this.stale.has(id)) this.freshenOne(id);
    return this.docs.get(id);
  }

  values(): Iterable<Doc> {
    this.freshen();
    return this.docs.values();
  }

  /** Subscribes a live query (see LiveQueries); from then on every version is read. */
  subscribe(...args: Parameters<LiveQueries['subscribe']>): () => void {
    this.freshen();
    return this.live.subscribe(...args);
  }

  /**
   * A document changed and is read when asked for; its old version is not kept meanwhile (a
   * placeholder keeps its place in the order of documents).
   */
  private markStale(id: string): void {
    if (this.stale.has(id)) return;
    this.stale.add(id);
    if (this.docs.has(id)) this.docs.set(id, STALE);
  }

  /** Reads every stale document (before anything needs the versions in between). */
  private freshen(): void {
    for (const id of this.stale) this.freshenOne(id);
  }

  private freshenOne(id: string): void {
    this.stale.delete(id);
    const doc = this.read(id);
    if (doc) this.docs.set(id, doc);
    else this.docs.delete(id);
  }

  /** Applies options; a new set of indexes is built from the current documents. */
  configure(options: CollectionOptions): void {
    this.freshen();
    if (options.schema) this.schema = options.schema;
    if (options.fields) this.kinds = { ...this.kinds, ...options.fields };
    const specs = options.indexes ?? [];
    const known = new Set(this.indexSpecs.map((s) => s.join('+')));
    if (specs.some((s) => !known.has(s.join('+')))) {
      const merged = [...this.indexSpecs, ...specs.filter((s) => !known.has(s.join('+')))];
      this.indexSpecs = merged;
      this.indexes = new CollectionIndexes(merged);
      this.indexes.load(this.docs.values());
    }
  }

  /**
   * Puts new versions of documents in place (undefined: gone), keeping the indexes current:
   * one by one, or, past a threshold, by rebuilding them in one sort. `each` calls `visit` once
   * per document. Returns what changed, for live queries (nothing when none listens).
   */
  applyAll(each: (visit: (id: string, after: Known) => void) => void, count: number): DocChange[] {
    const track = this.live.count > 0;
    const lazy = !track && this.indexSpecs.length === 0;
    const bulk = count >= 1000 && this.indexSpecs.length > 0;
    const changes: DocChange[] = [];
    each((id, known) => {
      if (lazy && known === null) {
        this.markStale(id);
        return;
      }
      this.stale.delete(id);
      const after = known === null ? this.read(id) : known;
      const before = this.docs.get(id);
      if (before === after) return;
      if (after) this.docs.set(id, after);
      else this.docs.delete(id);
      if (!bulk) {
        if (after) this.indexes.upsert(id, before, after);
        else if (before) this.indexes.remove(id, before);
      }
      if (track) changes.push({ id, before, after });
    });
    if (bulk) {
      this.indexes = new CollectionIndexes(this.indexSpecs);
      this.indexes.load(this.docs.values());
    }
    return changes;
  }

  /** One document changed: `applyAll` of it, unread (what an in-place edit does per keystroke). */
  touched(id: string): DocChange[] {
    if (this.live.count === 0 && this.indexSpecs.length === 0) {
      this.markStale(id);
      return NO_CHANGES;
    }
    return this.applyAll((visit) => visit(id, null), 1);
  }

  /** Documents changed: `applyAll` of them, unread (what received changes do). */
  touchedIds(ids: ReadonlySet<string>): DocChange[] {
    if (this.live.count === 0 && this.indexSpecs.length === 0) {
      for (const id of ids) this.markStale(id);
      return NO_CHANGES;
    }
    return this.applyAll((visit) => {
      for (const id of ids) visit(id, null);
    }, ids.size);
  }

  /** Loads many documents at once (opening a space): indexes are built in one pass. */
  load(docs: Iterable<[string, Doc]>): void {
    this.freshen();
    for (const [id, doc] of docs) this.docs.set(id, doc);
    this.indexes = new CollectionIndexes(this.indexSpecs);
    this.indexes.load(this.docs.values());
  }
}
