import type { PlainObject } from '../document/plain.js';
import type { Doc } from '../document/read.js';
import { setOwn, type Value } from '../encoding/value.js';
import type { SimDoc, SimEdit, SimOp, SimWrite } from './ops.js';
import type { Prng } from './prng.js';
import type { SimCollections } from './replica.js';
import { cardEdits, cardFields, cardPatch } from './workload-cards.js';
import { cursorOp, spliceListWrite, spliceTextWrite } from './workload-text.js';
import { anyValue, STRINGS, scalar } from './workload-values.js';

/** What a workload sees when it picks a replica's next operation. */
export interface WorkloadContext {
  readonly rng: Prng;
  /** The replica that will perform the operation (an index). */
  readonly replica: number;
  /** A document as this replica shows it now. */
  get(collection: string, id: string): Doc | undefined;
  /** Ids of the documents that exist at this replica now, sorted. */
  ids(collection: string): string[];
}

/**
 * What a simulation does: its collections (options as given to `space.collection`, the same
 * on every replica) and a generator of operations. A workload must draw randomness only from
 * `ctx.rng`, so a seed replays the same run.
 */
export interface Workload {
  readonly collections: SimCollections;
  nextOp(ctx: WorkloadContext): SimOp;
}

/** `notes`: plain fields only (registers, nested objects merging per key, arrays, bytes). */
function noteFields(rng: Prng): PlainObject {
  const out: PlainObject = {};
  const add = (k: string, p: number, v: () => Value) => {
    if (rng.chance(p)) setOwn(out, k, v());
  };
  add('title', 0.9, () => rng.pick(STRINGS));
  add('body', 0.5, () => anyValue(rng));
  add('done', 0.5, () => rng.chance(0.5));
  add('n', 0.5, () => rng.between(-3, 20));
  add('meta', 0.6, () => noteMeta(rng));
  add('list', 0.3, () => Array.from({ length: rng.int(4) }, () => scalar(rng)));
  add('blob', 0.15, () => rng.bytes(rng.int(6)));
  add('constructor', 0.05, () => rng.pick(STRINGS));
  return out;
}

function noteMeta(rng: Prng): Value {
  if (rng.chance(0.15)) return scalar(rng); // a register where others write an object
  const meta: { [k: string]: Value } = {};
  if (rng.chance(0.7)) meta.a = scalar(rng);
  if (rng.chance(0.5)) meta.b = anyValue(rng);
  if (rng.chance(0.4)) meta.deep = { x: rng.between(0, 5), y: rng.pick(STRINGS) };
  return meta;
}

function notePatch(rng: Prng): PlainObject {
  const patch: PlainObject = {};
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const r = rng.int(9);
    if (r === 0) patch.title = rng.chance(0.1) ? undefined : rng.pick(STRINGS);
    else if (r === 1) patch.body = rng.chance(0.15) ? undefined : anyValue(rng);
    else if (r === 2) patch.done = rng.chance(0.5);
    else if (r === 3) patch.n = rng.between(-3, 20);
    else if (r === 4) patch.meta = rng.chance(0.1) ? undefined : noteMeta(rng);
    else if (r === 5) patch.meta = { deep: { x: rng.between(0, 5) } };
    else if (r === 6) patch.list = Array.from({ length: rng.int(3) }, () => scalar(rng));
    else if (r === 7) patch.blob = rng.chance(0.3) ? undefined : rng.bytes(rng.int(4));
    else setOwn(patch, 'constructor', rng.chance(0.3) ? undefined : rng.pick(STRINGS));
  }
  return patch;
}

function noteEdits(rng: Prng): SimEdit[] {
  const fields = ['title', 'body', 'done', 'n', 'meta', 'list', 'blob', 'constructor'];
  return Array.from({ length: 1 + rng.int(3) }, (): SimEdit => {
    switch (rng.int(8)) {
      case 0:
        return { op: 'set', path: [rng.pick(fields)], value: anyValue(rng) };
      case 1:
        return { op: 'set', path: ['meta', rng.pick(['a', 'b'])], value: scalar(rng) };
      case 2:
        return { op: 'set', path: ['meta', 'deep', rng.pick(['x', 'y'])], value: scalar(rng) };
      case 3:
        return {
          op: 'unset',
          path: rng.chance(0.6) ? [rng.pick(fields)] : ['meta', rng.pick(['a', 'b', 'deep'])],
        };
      case 4:
        return { op: 'push', path: ['list'], value: scalar(rng) };
      case 5:
        return { op: 'pull', path: ['list'], value: scalar(rng) };
      case 6:
        return { op: 'increment', path: ['n'], by: rng.between(-2, 3) };
      default:
        return { op: 'set', path: ['meta'], value: noteMeta(rng) };
    }
  });
}

/**
 * The default workload: two collections covering every field type Weft has (registers with
 * any value, nested objects, arrays, bytes; counters and add-wins sets, text and lists,
 * top-level and nested), and every write: insert (fresh ids, taken ids, and ids deleted before:
 * resurrection), put, update by patch and by draft function, delete, insertMany, text and list
 * splices, and transactions of several; and cursors into text and lists.
 */
export function defaultWorkload(): Workload {
  const made = new Map<string, number>();
  const pools = new Map<string, string[]>();
  const fresh = (collection: string): string => {
    const n = made.get(collection) ?? 0;
    made.set(collection, n + 1);
    const id = `${collection[0]}${n}`;
    const pool = pools.get(collection) ?? [];
    pool.push(id);
    pools.set(collection, pool);
    return id;
  };
  for (const c of ['notes', 'cards']) for (let i = 0; i < 3; i++) fresh(c);

  const fieldsFor = (rng: Prng, collection: string) =>
    collection === 'notes' ? noteFields(rng) : cardFields(rng);
  const doc = (rng: Prng, collection: string, id: string): SimDoc =>
    ({ id, ...fieldsFor(rng, collection) }) as SimDoc;

  const write = (ctx: WorkloadContext): SimWrite => {
    const { rng } = ctx;
    const collection = rng.chance(0.5) ? 'notes' : 'cards';
    const existing = ctx.ids(collection);
    const pool = pools.get(collection)!;
    const target = existing.length > 0 && rng.chance(0.8) ? rng.pick(existing) : rng.pick(pool);
    const cards = collection === 'cards';
    switch (rng.weighted([10, 3, 8, 24, 24, 8, 4, cards ? 24 : 0, cards ? 10 : 0])) {
      case 0:
        return { kind: 'insert', collection, doc: doc(rng, collection, fresh(collection)) };
      case 1:
        // An id that may exist (refused), may never have existed, or was deleted (comes back).
        return { kind: 'insert', collection, doc: doc(rng, collection, rng.pick(pool)) };
      case 2:
        return { kind: 'put', collection, doc: doc(rng, collection, target) };
      case 3:
        return {
          kind: 'patch',
          collection,
          id: target,
          patch: cards ? cardPatch(rng, ctx.get(collection, target)) : notePatch(rng),
        };
      case 4:
        return {
          kind: 'edit',
          collection,
          id: target,
          edits: cards ? cardEdits(rng, ctx.get(collection, target)) : noteEdits(rng),
        };
      case 5:
        return { kind: 'delete', collection, id: target };
      case 7:
        return spliceTextWrite(ctx, collection, existing.length > 0 ? existing : pool);
      case 8:
        return spliceListWrite(ctx, collection, existing.length > 0 ? existing : pool);
      default: {
        const n = 1 + rng.int(4);
        const docs = Array.from({ length: n }, () =>
          doc(rng, collection, rng.chance(0.1) ? rng.pick(pool) : fresh(collection)),
        );
        return { kind: 'insertMany', collection, docs };
      }
    }
  };

  return {
    collections: {
      notes: { indexes: [['title'], ['meta.a']] },
      cards: {
        fields: {
          votes: 'counter',
          tags: 'set',
          'meta.labels': 'set',
          'stats.views': 'counter',
          body: 'text',
          'meta.draft': 'text',
          items: 'list',
        },
        indexes: [['status'], ['status', 'votes']],
      },
    },
    nextOp(ctx) {
      if (ctx.rng.chance(0.08)) {
        const ids = ctx.ids('cards');
        return cursorOp(ctx, 'cards', ids.length > 0 ? ids : pools.get('cards')!);
      }
      if (ctx.rng.chance(0.12)) {
        const n = 2 + ctx.rng.int(3);
        return { kind: 'transact', writes: Array.from({ length: n }, () => write(ctx)) };
      }
      return write(ctx);
    },
  };
}
