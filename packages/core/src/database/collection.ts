import {
  deleteOps,
  insertOps,
  isPlainObject,
  type PlainObject,
  updateOps,
} from '../document/diff.js';
import { type DocNode, docExists } from '../document/node.js';
import { type ConflictValue, type Doc, readConflicts } from '../document/read.js';
import { setOwn, type Value } from '../encoding/value.js';
import {
  AlreadyExistsError,
  InvalidValueError,
  NotFoundError,
  SchemaValidationError,
} from '../errors.js';
import {
  compileQuery,
  countQuery,
  executeQuery,
  explainPlan,
  planQuery,
  type QueryPlan,
  type QuerySpec,
  type Where,
} from '../query/index.js';
import type { Anchor } from '../text/ops.js';
import type { CollectionHost } from './collection-host.js';
import type { CollectionView } from './collection-view.js';
import { newDocId } from './ids.js';
import type { LiveCallback } from './live-query.js';
import type { StandardResult } from './schema.js';
import { anchorIn, positionIn, spliceSequence } from './sequence-edit.js';
import type { Transaction } from './transaction.js';

export type { CollectionHost };

export type WithId<T> = T & { readonly id: string };

/** A patch: fields to set (nested objects merge key by key; `undefined` removes a field). */
export type Patch<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * A collection of documents in a space. Reads (`get`, `find`, `count`) are synchronous and
 * local. Writes return a promise that resolves when the write is durable; the change is
 * visible to reads at once. Inside `space.transact(fn)`, writes join that one transaction.
 */
export class Collection<T extends object> {
  constructor(
    private readonly space: CollectionHost,
    private readonly view: CollectionView,
  ) {}

  get name(): string {
    return this.view.name;
  }

  /** Creates a document; fails with AlreadyExistsError if its id exists. Returns it with its id. */
  insert(doc: T & { id?: string }): Promise<WithId<T>> {
    return this.validated(doc, (fields, id) =>
      this.space.write((tx) => this.insertOne(tx, fields, id)),
    );
  }

  /**
   * Inserts many documents in one transaction (or in the current one, inside `transact`): all
   * of them or, if any is invalid or exists, none. The way to load data in bulk.
   */
  insertMany(docs: readonly (T & { id?: string })[]): Promise<WithId<T>[]> {
    return this.run(() => {
      const checked = docs.map((doc) => this.check(doc));
      const write = (ready: readonly Checked[]) => {
        const { result, durable } = this.space.write((tx) =>
          ready.map((c) => this.insertOne(tx, c.fields, c.id)),
        );
        return durable.then(() => result);
      };
      if (!checked.some((c) => c instanceof Promise)) return write(checked as Checked[]);
      if (this.space.transaction) throw asyncInTransaction(this.name);
      return Promise.all(checked).then(write);
    });
  }

  private insertOne(tx: Transaction, fields: PlainObject, id: string | undefined): WithId<T> {
    // A new id (time + 50 random bits) names no document: no need to look it up.
    const docId = id ?? newDocId();
    const node = id === undefined ? undefined : tx.node(this.name, docId);
    if (node && docExists(node)) {
      throw new AlreadyExistsError(
        `${this.name}/${docId} already exists; use put() to replace it or update() to change it`,
      );
    }
    return this.replace(tx, docId, fields, node) as WithId<T>;
  }

  /** Creates the document or replaces it whole. */
  put(doc: T & { id: string }): Promise<WithId<T>> {
    return this.validated(doc, (fields, id) =>
      this.space.write((tx) => {
        const docId = requireId(id);
        return this.replace(tx, docId, fields, tx.node(this.name, docId)) as WithId<T>;
      }),
    );
  }

  /**
   * Changes a document with a patch (nested objects merge; `undefined` removes a field) or a
   * function that edits a draft. Counter fields take the new total (`d.votes += 1` merges
   * with concurrent increments); set fields take the new array of elements.
   */
  update(id: string, change: Patch<T> | ((draft: WithId<T>) => void)): Promise<WithId<T>> {
    return this.run(() => {
      const current = this.read(id);
      if (current === undefined)
        throw new NotFoundError(`${this.name}/${id} does not exist; insert() it first`);
      const patch = typeof change === 'function' ? undefined : (change as PlainObject);
      const next = patch
        ? mergePatch(current, patch)
        : applyDraft(current, change as (d: Doc) => void);
      if (next.id !== id)
        throw new InvalidValueError(`${this.name}/${id}: the id of a document cannot change`);
      return this.updateTo(id, next, patch);
    });
  }

  /** `patch`: what update() was given, if a patch (its fields settle their conflicts). */
  private updateTo(id: string, next: PlainObject, patch?: PlainObject): Promise<WithId<T>> {
    return this.validated(next as T & { id?: string }, (fields) =>
      this.space.write((tx) => {
        const before = this.read(id);
        const node = tx.node(this.name, id);
        if (before === undefined || node === undefined)
          throw new NotFoundError(`${this.name}/${id} does not exist; insert() it first`);
        tx.record(
          this.name,
          id,
          updateOps(
            node,
            withoutId(before),
            fields,
            this.view.kinds,
            tx.actor,
            this.space.actorNames(),
            patch,
          ),
        );
        return this.read(id) as WithId<T>;
      }),
    );
  }

  /** Records an insert that replaces whatever the document was (or creates it); returns it. */
  private replace(
    tx: Transaction,
    id: string,
    fields: PlainObject,
    node: DocNode | undefined,
  ): Doc {
    const ops = insertOps(node, fields, this.view.kinds, tx.actor, this.space.actorNames());
    // A brand-new document in a collection without counter or set fields stays packed.
    if (node === undefined && Object.keys(this.view.kinds).length === 0) {
      return tx.recordFresh(this.name, id, ops, fields);
    }
    tx.record(this.name, id, ops);
    return this.read(id)!;
  }

  /** Deletes a document. Resolves to false if there was none. */
  delete(id: string): Promise<boolean> {
    return this.run(() => {
      const { result, durable } = this.space.write((tx) => {
        const node = tx.node(this.name, id);
        if (this.read(id) === undefined || !node) return false;
        tx.record(this.name, id, deleteOps(node));
        return true;
      });
      return durable.then(() => result);
    });
  }

  get(id: string): WithId<T> | undefined {
    return this.read(id) as WithId<T> | undefined;
  }

  /** The documents matching a query: `find({ where: { done: false }, orderBy: '-due', limit: 20 })`. */
  find(query: QuerySpec = {}): WithId<T>[] {
    return executeQuery(compileQuery(query), this.view, this.view.indexes).docs as WithId<T>[];
  }

  /** One page of a query, with the cursor of the next page (pass it as `after`). */
  findPage(query: QuerySpec): { docs: WithId<T>[]; nextCursor: string | undefined } {
    const { docs, nextCursor } = executeQuery(compileQuery(query), this.view, this.view.indexes);
    return { docs: docs as WithId<T>[], nextCursor };
  }

  /** Every document, in no particular order: a scan without a query or a sort (for tools). */
  scan(): Iterable<WithId<T>> {
    return this.view.values() as Iterable<WithId<T>>;
  }

  count(where?: Where): number {
    return countQuery(compileQuery(where ? { where } : {}), this.view, this.view.indexes);
  }

  /** How a query would run: which index, what is filtered after, how it is sorted. */
  explain(query: QuerySpec = {}): { plan: QueryPlan; text: string } {
    const plan = planQuery(compileQuery(query), this.view.indexes, this.view.size);
    return { plan, text: explainPlan(plan) };
  }

  /**
   * A live query: `callback` gets the result now, then again after every local or remote change
   * that affects it, with what was added, removed and updated. Returns the unsubscribe function.
   */
  subscribe(
    query: QuerySpec,
    callback: (result: WithId<T>[], change: Parameters<LiveCallback>[1]) => void,
  ): () => void {
    return this.view.subscribe(query, callback as LiveCallback);
  }

  /**
   * Edits a text field in place: deletes `deleteCount` UTF-16 code units at `index`, then
   * inserts `text` there. Concurrent edits merge; text typed at one place by two writers at
   * once never interleaves. The field must be declared `'text'` and written first. Resolves
   * when the edit is durable (read the document with `get`; an editor typing fast need not).
   */
  spliceText(
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    text = '',
  ): Promise<void> {
    return this.splice('text', id, path, index, deleteCount, text);
  }

  /** Edits a list field in place, like `Array.prototype.splice` (see `spliceText`). */
  spliceList(
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    values: readonly Value[] = [],
  ): Promise<void> {
    return this.splice('list', id, path, index, deleteCount, values);
  }

  private splice(
    kind: 'text' | 'list',
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    insert: string | readonly Value[],
  ): Promise<void> {
    // As `run` does, without its closure (this runs per keystroke).
    const space = this.space;
    if (space.transaction)
      return spliceSequence(space, kind, this.name, id, path, index, deleteCount, insert);
    try {
      return spliceSequence(space, kind, this.name, id, path, index, deleteCount, insert);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A stable position in a text or list field: it stays next to the same character as others
   * edit (share it in presence for cursors and selections; `position` reads it back).
   * `stick: 'right'` (default) keeps it before the unit at `index`; `'left'` after the one
   * before it.
   */
  cursor(id: string, path: string, index: number, stick: 'left' | 'right' = 'right'): Anchor {
    return anchorIn(this.space, this.name, id, path, index, stick);
  }

  /** Where a cursor (see `cursor`) is now. */
  position(id: string, path: string, cursor: Anchor): number {
    return positionIn(this.space, this.name, id, path, cursor);
  }

  /** The values written concurrently to the register at `path` (dot-separated), newest first. */
  conflicts(id: string, path: string): ConflictValue[] {
    return readConflicts(this.space.node(this.name, id), path.split('.'), this.space.actorNames());
  }

  /** Declared indexes and their sizes. */
  indexes() {
    return this.view.indexes.list();
  }

  private read(id: string): Doc | undefined {
    const tx = this.space.transaction;
    return tx ? tx.read(this.name, id, this.view.get(id)) : this.view.get(id);
  }

  /**
   * Runs a write: outside a transaction errors become a rejected promise; inside one they throw
   * and abort the transaction (whose writes then never resolve: see Space.write).
   */
  private run<R>(write: () => Promise<R>): Promise<R> {
    if (this.space.transaction) return write();
    try {
      return write();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Validates with the schema (sync, or async outside transactions), then writes. */
  private validated<R>(
    doc: T & { id?: string },
    write: (fields: PlainObject, id: string | undefined) => { result: R; durable: Promise<void> },
  ): Promise<R> {
    return this.run(() => {
      const commit = ({ fields, id }: Checked) => {
        const { result, durable } = write(fields, id);
        return durable.then(() => result);
      };
      const checked = this.check(doc);
      if (!(checked instanceof Promise)) return commit(checked);
      if (this.space.transaction) throw asyncInTransaction(this.name);
      return checked.then(commit);
    });
  }

  /** A document split into its id and fields, the fields passed through the schema. */
  private check(doc: T & { id?: string }): Checked | Promise<Checked> {
    if (!isPlainObject(doc))
      throw new InvalidValueError(`${this.name}: a document is a plain object`);
    const { id, ...fields } = doc as PlainObject;
    if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
      throw new InvalidValueError(`${this.name}: a document id is a non-empty string`);
    }
    const docId = id as string | undefined;
    const schema = this.view.schema;
    if (!schema) return { fields, id: docId };
    const result = schema['~standard'].validate(fields);
    if (result instanceof Promise)
      return result.then((r) => ({ fields: this.accept(r), id: docId }));
    return { fields: this.accept(result), id: docId };
  }

  private accept(result: StandardResult<unknown>): PlainObject {
    if (result.issues) throw new SchemaValidationError(this.name, result.issues);
    if (!isPlainObject(result.value))
      throw new InvalidValueError(`${this.name}: the schema produced a non-object`);
    return result.value;
  }
}

interface Checked {
  readonly fields: PlainObject;
  readonly id: string | undefined;
}

function asyncInTransaction(collection: string): TypeError {
  return new TypeError(
    `${collection}: its schema validates asynchronously, which transact() cannot wait for`,
  );
}

function requireId(id: string | undefined): string {
  if (id === undefined) throw new InvalidValueError('put() needs a document with an id');
  return id;
}

function withoutId(doc: Doc): PlainObject {
  const { id: _id, ...fields } = doc;
  return fields;
}

function applyDraft(current: Doc, edit: (draft: Doc) => void): PlainObject {
  const draft = structuredClone(current) as PlainObject;
  edit(draft as Doc);
  return draft;
}

/** Merges a patch into a document: nested plain objects merge, `undefined` removes. */
function mergePatch(base: Doc | PlainObject, patch: PlainObject): PlainObject {
  if (!isPlainObject(patch))
    throw new InvalidValueError('update() takes a plain object patch or a function');
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const own = Object.hasOwn(out, key) ? out[key] : undefined;
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(own))
      setOwn(out, key, mergePatch(own, value) as Value);
    else setOwn(out, key, value);
  }
  return out;
}
