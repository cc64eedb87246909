import { type ApplyContext, applyOps } from '../document/apply.js';
import { cloneDoc, type DocNode, emptyDoc, packedDoc } from '../document/node.js';
import type { DocOp } from '../document/ops.js';
import { EditEncoder } from '../document/payload.js';
import type { PlainObject } from '../document/plain.js';
import { type Doc, readDoc } from '../document/read.js';
import { SequenceUndo } from '../document/sequence-undo.js';
import { dotAllocator, type SpaceState } from '../document/space-state.js';
import { setOwn, type Value } from '../encoding/value.js';

interface Touched {
  readonly collection: string;
  readonly id: string;
  readonly node: DocNode;
  /** The document as read from `node`; null until read, and again after each write. */
  doc: Doc | undefined | null;
}

/** The documents of one collection that a committed transaction changed. */
export interface CommittedCollection {
  readonly collection: string;
  readonly count: number;
  /** Visits each document with what it reads as now, or null if the transaction never read it. */
  each(visit: (id: string, doc: Doc | undefined | null) => void): void;
}

/**
 * The writes of one `transact` call, kept apart until commit: each touched document is a
 * private copy with the transaction's operations applied, so reads inside the transaction see
 * its writes, and an abort just drops the copies.
 */
export class Transaction {
  /** Touched documents by collection (ids are not concatenated: no new strings). */
  private readonly touched = new Map<string, Bucket>();
  private count = 0;
  private readonly dots;
  private readonly encoder: EditEncoder;

  constructor(
    private readonly state: SpaceState,
    readonly actor: number,
    readonly wall: number,
    readonly logical: number,
  ) {
    this.dots = dotAllocator(actor, state.dotCounter(actor));
    this.encoder = new EditEncoder(state);
    this.applyContext = { actorId: state.name(actor), wall, logical, nextDot: this.dots.next };
  }

  private readonly applyContext: ApplyContext;

  /** The document node as this transaction sees it (its own copy once touched). */
  node(collection: string, id: string): DocNode | undefined {
    return this.entry(collection, id)?.node ?? this.state.doc(collection, id);
  }

  read(collection: string, id: string, committed: Doc | undefined): Doc | undefined {
    const own = this.entry(collection, id);
    return own ? this.materialize(own) : committed;
  }

  private materialize(t: Touched): Doc | undefined {
    if (t.doc === null) t.doc = readDoc(t.node, t.id, this.names);
    return t.doc;
  }

  private readonly names = (i: number) => this.state.name(i);

  /**
   * Records a write: encodes it into the change (refusing unstorable values) and applies it to
   * the transaction's copy of the document.
   */
  record(collection: string, id: string, ops: readonly DocOp[]): void {
    if (ops.length === 0) return;
    this.encoder.add(collection, id, ops);
    let entry = this.entry(collection, id);
    if (!entry) {
      const current = this.state.doc(collection, id);
      entry = {
        collection,
        id,
        node: current ? cloneDoc(current) : emptyDoc(),
        doc: null,
      };
      this.remember(entry);
    }
    if (this.undo) this.undo.save(entry.node, ops);
    applyOps(entry.node, ops, this.applyContext);
    entry.doc = null;
  }

  /** Set by `transact`: writes may follow that fail, so sequence edits must be undoable. */
  private undo: SequenceUndo | undefined;

  /** Makes the text and list edits of this transaction undoable (see SequenceUndo). */
  undoable(): void {
    this.undo ??= new SequenceUndo();
  }

  /** Undoes what the transaction changed in place (its text and list edits) as it aborts. */
  abort(): void {
    this.undo?.restore();
  }

  /**
   * Records the insert of a document that exists nowhere yet (the caller checked), kept
   * packed: `ops` must be what `insertOps` made for `fields` with no field kinds (an insert
   * marker, then one register write per leaf). Returns the document as it reads.
   */
  recordFresh(collection: string, id: string, ops: readonly DocOp[], fields: PlainObject): Doc {
    this.encoder.add(collection, id, ops);
    const entry = this.packed(collection, id, ops, fields);
    // Listed, not yet indexed by id: a bulk insert that never reads back pays no lookups.
    this.bucket(collection).fresh.push(entry);
    this.count += 1;
    return entry.doc as Doc;
  }

  private packed(
    collection: string,
    id: string,
    ops: readonly DocOp[],
    fields: PlainObject,
  ): Touched {
    const base = this.dots.next();
    this.dots.skip(ops.length - 1);
    const doc: { [field: string]: Value } = { id };
    for (const name of Object.keys(fields).sort()) {
      const value = fields[name];
      if (value === undefined || name === 'id') continue;
      setOwn(doc, name, frozenCopy(value));
    }
    Object.freeze(doc); // nested values were frozen as they were copied
    const node = packedDoc({
      stamps: undefined,
      base,
      wall: this.wall,
      logical: this.logical,
      fields: ops.length - 1,
      doc,
    });
    return { collection, id, node, doc };
  }

  private entry(collection: string, id: string): Touched | undefined {
    const bucket = this.touched.get(collection);
    if (!bucket) return undefined;
    indexFresh(bucket);
    return bucket.byId.get(id);
  }

  private bucket(collection: string): Bucket {
    let bucket = this.touched.get(collection);
    if (!bucket) {
      bucket = { byId: new Map(), fresh: [], indexed: 0 };
      this.touched.set(collection, bucket);
    }
    return bucket;
  }

  private remember(entry: Touched): void {
    this.bucket(entry.collection).byId.set(entry.id, entry);
    this.count += 1;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** The change's payload: every edit, encoded. */
  payload(): Uint8Array {
    return this.encoder.finish();
  }

  /**
   * Moves the copies into the state. Returns, per collection, how many documents changed and a
   * way to visit each with what it reads as now.
   */
  commit(): CommittedCollection[] {
    const out: CommittedCollection[] = [];
    for (const [collection, bucket] of this.touched) {
      const entries = () => entriesOf(bucket);
      for (const t of entries()) this.state.setDoc(collection, t.id, t.node);
      out.push({
        collection,
        count: bucket.byId.size + bucket.fresh.length - bucket.indexed,
        // Documents not read during the transaction are read when someone asks (null).
        each: (visit) => {
          for (const t of entries()) visit(t.id, t.doc);
        },
      });
    }
    this.state.setDotCounter(this.actor, this.dots.last());
    return out;
  }
}

/**
 * The documents a transaction touched in one collection: by id, plus fresh inserts listed in
 * order and indexed by id only when something looks one up.
 */
interface Bucket {
  readonly byId: Map<string, Touched>;
  readonly fresh: Touched[];
  indexed: number;
}

function indexFresh(bucket: Bucket): void {
  while (bucket.indexed < bucket.fresh.length) {
    const t = bucket.fresh[bucket.indexed++]!;
    bucket.byId.set(t.id, t);
  }
}

function* entriesOf(bucket: Bucket): IterableIterator<Touched> {
  yield* bucket.byId.values();
  for (let i = bucket.indexed; i < bucket.fresh.length; i++) yield bucket.fresh[i]!;
}

/** A frozen copy the caller cannot change under us (objects and arrays copied, bytes copied). */
function frozenCopy(value: Value | PlainObject): Value {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return Object.freeze(value.map((v) => frozenCopy(v))) as Value[];
  const out: { [field: string]: Value } = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) setOwn(out, k, frozenCopy(v));
  return Object.freeze(out);
}
