import type { VersionVector } from '../clocks/version-vector.js';
import type { Value } from '../encoding/value.js';

/**
 * The oracle's model of history: plain records of what each change wrote, and which earlier
 * writes it overwrote, decided from causality alone (no dots, no logs, no encodings).
 *
 * An *event* is one change (one transaction) of one actor: its HLC stamp and its causal past
 * (the version vector of the writer just before it). Each event adds *atoms* to documents (a
 * register value, a counter total, a set element, an alive or a deleted marker) and *covers*
 * parts of documents (a scope: the whole document, a field and everything under it, …). An
 * atom is overwritten by a cover of a later event whose writer had seen it (the atom's event
 * is in the cover's causal past, or earlier in the same event); writes the coverer had not
 * seen (concurrent ones) survive. What a replica shows is what survives among the events it
 * has: its version vector is a cut of the history.
 */
export interface OracleEvent {
  readonly actor: string;
  readonly seq: number;
  /** The event's HLC stamp; while the event is being built, later than everything (Infinity). */
  wall: number;
  logical: number;
  /** The writer's version vector just before the event. */
  readonly past: VersionVector;
}

export type Atom = MarkerAtom | RegisterAtom | CounterAtom | ElementAtom | SeqAtom;

interface AtomBase {
  readonly event: OracleEvent;
  /** Order of creation within the event. */
  readonly index: number;
  /** Events whose covers overwrite this atom. */
  readonly coverers: OracleEvent[];
}

/** The document was (re)created (`alive`) or deleted (`deleted`). */
export type MarkerAtom = AliveAtom | DeletedAtom;

interface AliveAtom extends AtomBase {
  readonly kind: 'alive';
}

interface DeletedAtom extends AtomBase {
  readonly kind: 'deleted';
}

export interface RegisterAtom extends AtomBase {
  readonly kind: 'reg';
  readonly path: readonly string[];
  readonly value: Value;
}

/** An actor's running totals in a counter field. */
export interface CounterAtom extends AtomBase {
  readonly kind: 'ctr';
  readonly path: readonly string[];
  readonly inc: number;
  readonly dec: number;
}

/** One add of an element to a set field. */
export interface ElementAtom extends AtomBase {
  readonly kind: 'elem';
  readonly path: readonly string[];
  readonly value: Value;
  /** The element's identity (`valueKey`). */
  readonly key: string;
}

/**
 * A text or list field made by a write (its initial content is the creator's units 0…n-1).
 * Later edits add units to it and mark units deleted, whoever saw it; its `units` hold every
 * unit any event inserted, in FugueMax order, and a cut shows those of its events.
 */
export interface SeqAtom extends AtomBase {
  readonly kind: 'seq';
  readonly path: readonly string[];
  readonly seqKind: 'text' | 'list';
  units: Unit[];
}

/**
 * One unit of a text or list field in the oracle: a UTF-16 code unit or a list element, with
 * its id (`actor`, `seq`), its origins as the writer chose them, the event that inserted it
 * and the events that deleted it.
 */
export interface Unit {
  readonly actor: string;
  readonly seq: number;
  readonly left: Unit | null;
  readonly right: Unit | null;
  readonly value: Value;
  readonly event: OracleEvent;
  readonly deleters: OracleEvent[];
}

/** What a write overwrites (of what its writer had seen). */
export type Scope =
  /** Everything in the document, markers included: an insert, a put, a delete. */
  | { readonly kind: 'doc' }
  /** Everything at or under a field: a value written over it, a field removed. */
  | { readonly kind: 'subtree'; readonly path: readonly string[] }
  /** Registers, counters and set elements at exactly this field: an object written over it. */
  | { readonly kind: 'here'; readonly path: readonly string[] }
  /** Counters at this field and everything under it: a set field created over them. */
  | { readonly kind: 'set-created'; readonly path: readonly string[] }
  /** This actor's counter totals at this field: its next total replaces them. */
  | { readonly kind: 'tally'; readonly path: readonly string[]; readonly actor: string }
  /** One set element's adds: it is removed. */
  | { readonly kind: 'element'; readonly path: readonly string[]; readonly key: string };

export function covers(scope: Scope, atom: Atom): boolean {
  if (scope.kind === 'doc') return true;
  if (atom.kind === 'alive' || atom.kind === 'deleted') return false;
  const p = atom.path;
  const s = scope.path;
  switch (scope.kind) {
    case 'subtree':
      return startsWith(p, s);
    case 'here':
      return samePath(p, s);
    case 'set-created':
      return (atom.kind === 'ctr' && samePath(p, s)) || (p.length > s.length && startsWith(p, s));
    case 'tally':
      return atom.kind === 'ctr' && atom.event.actor === scope.actor && samePath(p, s);
    case 'element':
      return atom.kind === 'elem' && atom.key === scope.key && samePath(p, s);
  }
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** Which events a view includes. */
export type Cut = (event: OracleEvent) => boolean;

export function cutOf(vector: VersionVector, extra?: OracleEvent): Cut {
  return (e) => e === extra || e.seq <= (vector.get(e.actor) ?? 0);
}

/** Whether `seer`'s writer had seen `atom` when it wrote (at position `index` of its event). */
export function hadSeen(seer: OracleEvent, index: number, atom: Atom): boolean {
  if (atom.event === seer) return atom.index < index;
  return atom.event.seq <= (seer.past.get(atom.event.actor) ?? 0);
}

/** The atoms of a document that survive in a cut. */
export function survivors(atoms: readonly Atom[], cut: Cut): Atom[] {
  return atoms.filter((a) => cut(a.event) && !a.coverers.some(cut));
}

/** Stamp order: wall, then logical, then actor id. */
export function compareStamps(a: OracleEvent, b: OracleEvent): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.logical !== b.logical) return a.logical - b.logical;
  return a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0;
}
