import type { VersionVector } from '../clocks/version-vector.js';
import type { FieldKinds } from '../document/diff.js';
import type { PlainObject } from '../document/plain.js';
import { setOwn } from '../encoding/value.js';
import { applyEdits, mergePatch, type SimWrite } from './ops.js';
import {
  type DocHistory,
  type DocValue,
  dropEvents,
  historyKey as key,
  newHistory,
  vectorKey,
} from './oracle-history.js';
import {
  type Atom,
  type Cut,
  compareStamps,
  covers,
  cutOf,
  hadSeen,
  type OracleEvent,
  survivors,
} from './oracle-model.js';
import { buildView, type DocView, readView, viewExists } from './oracle-read.js';
import { Refusal } from './oracle-refusal.js';
import { spliceUnits } from './oracle-seq.js';
import { spliceSteps } from './oracle-text.js';
import { deleteSteps, insertSteps, type Step, updateSteps } from './oracle-write.js';

export { Refusal };

/** The collections an oracle knows: their field kinds (counters, sets). */
export type OracleCollections = Readonly<Record<string, { readonly fields?: FieldKinds }>>;

/** An event being built from the writes of one operation. */
export interface PendingEvent {
  readonly event: OracleEvent;
  next: number;
  readonly touched: Set<DocHistory>;
}

/**
 * The reference model: every change any replica made, with its stamp and causal past, and
 * the documented rules for what a write means (oracle-write.ts), what survives
 * (oracle-model.ts) and how a document reads (oracle-read.ts). It never looks at a replica's
 * state: from a replica it takes only the inputs of a change (its writes, the version vector
 * it was made on, its HLC stamp, which it checks is later than everything in that past). A
 * change lost in a crash (never durable, so it never left its replica) is `forget`-ed: it is
 * not part of history, and its seq is used again by the replica's next change.
 */
export class Oracle {
  private readonly docs = new Map<string, DocHistory>();
  /** Each actor's events, in seq order (index seq - 1). */
  private readonly events = new Map<string, OracleEvent[]>();

  constructor(private readonly collections: OracleCollections) {}

  /** Starts the event `actor` makes on top of `past` (its version vector now). */
  begin(actor: string, past: VersionVector): PendingEvent {
    const seq = (past.get(actor) ?? 0) + 1;
    const known = this.events.get(actor)?.length ?? 0;
    if (seq !== known + 1) {
      throw new Error(
        `Weft simulator: ${actor} writes seq ${seq}, but the oracle holds ${known} of its changes`,
      );
    }
    const event: OracleEvent = { actor, seq, wall: Number.POSITIVE_INFINITY, logical: 0, past };
    return { event, next: 0, touched: new Set() };
  }

  /** Adds one write to the event; throws a Refusal if the database must refuse it. */
  apply(p: PendingEvent, write: SimWrite): void {
    const kinds = this.kinds(write.collection);
    switch (write.kind) {
      case 'insert':
      case 'insertMany':
        for (const doc of write.kind === 'insert' ? [write.doc] : write.docs) {
          const h = this.history(write.collection, doc.id);
          const seen = this.seenBy(h, p);
          if (viewExists(buildView(seen, writerCut(p)))) {
            throw new Refusal('already-exists', `${write.collection}/${doc.id} already exists`);
          }
          this.record(p, h, seen, insertSteps(withoutId(doc), kinds));
        }
        return;
      case 'put': {
        const h = this.history(write.collection, write.doc.id);
        this.record(p, h, this.seenBy(h, p), insertSteps(withoutId(write.doc), kinds));
        return;
      }
      case 'delete': {
        const h = this.history(write.collection, write.id);
        const seen = this.seenBy(h, p);
        if (viewExists(buildView(seen, writerCut(p)))) this.record(p, h, seen, deleteSteps());
        return;
      }
      case 'spliceText':
      case 'spliceList': {
        const h = this.history(write.collection, write.id);
        const seen = this.seenBy(h, p);
        this.record(p, h, seen, spliceSteps(buildView(seen, writerCut(p)), write));
        return;
      }
      case 'patch':
      case 'edit': {
        const h = this.history(write.collection, write.id);
        const seen = this.seenBy(h, p);
        const view = buildView(seen, writerCut(p));
        const before = readView(view, write.id);
        if (!before)
          throw new Refusal('not-found', `${write.collection}/${write.id} does not exist`);
        let next: PlainObject;
        if (write.kind === 'patch') next = mergePatch(before, write.patch);
        else {
          next = structuredClone(before) as PlainObject;
          applyEdits(next, write.edits);
        }
        if (next.id !== write.id) throw new Refusal('invalid-value', 'the id cannot change');
        const steps = updateSteps(
          view.root,
          withoutId(before),
          withoutId(next),
          kinds,
          p.event.actor,
          writerCut(p),
          write.kind === 'patch' ? write.patch : undefined,
        );
        this.record(p, h, seen, steps);
        return;
      }
    }
  }

  /**
   * Ends the event with its stamp (read from the replica's log). Returns the event, or
   * undefined when its writes changed nothing (the database records no change then either).
   * Throws if the stamp breaks the hybrid logical clock's promise (later than its past).
   */
  commit(p: PendingEvent, stamp: { wall: number; logical: number }): OracleEvent | undefined {
    if (p.next === 0) return undefined;
    const e = p.event;
    e.wall = stamp.wall;
    e.logical = stamp.logical;
    for (const [actor, seq] of e.past) {
      const seen = seq > 0 ? this.events.get(actor)?.[seq - 1] : undefined;
      if (seen && compareStamps(seen, e) >= 0) {
        throw new Error(
          `the stamp ${e.wall}+${e.logical} of ${e.actor}:${e.seq} is not later than that of ${actor}:${seq} it had seen (${seen.wall}+${seen.logical})`,
        );
      }
    }
    const own = this.events.get(e.actor);
    if (own) own.push(e);
    else this.events.set(e.actor, [e]);
    return e;
  }

  /** Drops an event that was refused: its atoms and covers go. */
  abort(p: PendingEvent): void {
    const gone = new Set([p.event]);
    for (const h of p.touched) dropEvents(h, gone);
  }

  /**
   * Forgets `actor`'s changes after `seq`: a crash lost them before they were durable (and
   * they never left the replica), so they are not part of history.
   */
  forget(actor: string, seq: number): OracleEvent[] {
    const own = this.events.get(actor) ?? [];
    const lost = new Set(own.splice(seq));
    if (lost.size === 0) return [];
    for (const h of this.docs.values()) dropEvents(h, lost);
    return [...lost];
  }

  /** The document as a replica whose version vector is `vector` must show it. */
  doc(collection: string, id: string, vector: VersionVector): DocValue | undefined {
    const h = this.docs.get(key(collection, id));
    if (!h) return undefined;
    const k = vectorKey(vector);
    if (h.reads.has(k)) return h.reads.get(k);
    const value = readView(this.viewAt(h, vector), id);
    h.reads.set(k, value);
    return value;
  }

  /** The document as a replica whose version vector is `vector` has it (undefined: never named). */
  view(collection: string, id: string, vector: VersionVector): DocView | undefined {
    const h = this.docs.get(key(collection, id));
    return h && this.viewAt(h, vector);
  }

  private viewAt(h: DocHistory, vector: VersionVector): DocView {
    const k = vectorKey(vector);
    let view = h.views.get(k);
    if (!view) {
      const cut = cutOf(vector);
      view = buildView(survivors(h.atoms, cut), cut);
      h.views.set(k, view);
    }
    return view;
  }

  /** Ids of every document any write named in `collection`. */
  ids(collection: string): string[] {
    const out: string[] = [];
    for (const h of this.docs.values()) if (h.collection === collection) out.push(h.id);
    return out.sort();
  }

  /** How many changes of each actor history holds. */
  vector(): VersionVector {
    const out: VersionVector = new Map();
    for (const [actor, own] of this.events) if (own.length > 0) out.set(actor, own.length);
    return out;
  }

  /** How many changes of `actor` history holds. */
  count(actor: string): number {
    return this.events.get(actor)?.length ?? 0;
  }

  get eventCount(): number {
    let n = 0;
    for (const own of this.events.values()) n += own.length;
    return n;
  }

  private kinds(collection: string): FieldKinds {
    const c = this.collections[collection];
    if (!c) throw new Error(`Weft simulator: unknown collection "${collection}"`);
    return c.fields ?? {};
  }

  private history(collection: string, id: string): DocHistory {
    const k = key(collection, id);
    let h = this.docs.get(k);
    if (!h) {
      h = newHistory(collection, id);
      this.docs.set(k, h);
    }
    return h;
  }

  /** The atoms of a document that the writer of a pending event sees (its own earlier ones too). */
  private seenBy(h: DocHistory, p: PendingEvent): Atom[] {
    return survivors(h.atoms, cutOf(p.event.past, p.event));
  }

  /**
   * Adds the steps of a write to a document: each step's scope covers the atoms it covers
   * among those the writer sees (`seen`, then the atoms of this write's earlier steps), then
   * its atom is added. (An atom the writer does not see is either concurrent, and survives,
   * or already covered by something the writer had seen, and stays covered.)
   */
  private record(p: PendingEvent, h: DocHistory, seen: Atom[], steps: readonly Step[]): void {
    if (steps.length === 0) return;
    p.touched.add(h);
    h.reads.clear();
    h.views.clear();
    const visible = [...seen];
    for (const step of steps) {
      const index = p.next++;
      const scope = step.scope;
      if (scope) {
        for (const atom of visible) {
          if (atom.coverers.at(-1) === p.event) continue;
          if (hadSeen(p.event, index, atom) && covers(scope, atom)) atom.coverers.push(p.event);
        }
      }
      if (step.atom) {
        const atom = { ...step.atom, event: p.event, index, coverers: [] } as Atom;
        if (atom.kind === 'seq' && step.atom.kind === 'seq') {
          const initial = step.atom.initial;
          delete (atom as { initial?: unknown }).initial;
          atom.units = [];
          spliceUnits(atom, writerCut(p), p.event, { pos: 0, del: 0, insert: initial });
        }
        h.atoms.push(atom);
        visible.push(atom);
      }
      if (step.edit) spliceUnits(step.edit.target, writerCut(p), p.event, step.edit.splice);
    }
  }
}

/** What the writer of a pending event sees: its past and its own event so far. */
function writerCut(p: PendingEvent): Cut {
  return cutOf(p.event.past, p.event);
}

function withoutId(doc: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'id') setOwn(out, k, v);
  return out;
}
