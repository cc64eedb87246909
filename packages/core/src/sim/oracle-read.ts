import { compareValues, setOwn, type Value } from '../encoding/value.js';
import {
  type Atom,
  type CounterAtom,
  type Cut,
  compareStamps,
  type ElementAtom,
  type RegisterAtom,
  type SeqAtom,
} from './oracle-model.js';
import { seqValue } from './oracle-seq.js';

/** The surviving atoms of one field, and the fields under it. */
export interface FieldView {
  readonly regs: RegisterAtom[];
  readonly ctrs: CounterAtom[];
  /** Set elements by key, with the adds that keep each. */
  readonly elems: Map<string, ElementAtom[]>;
  /** Text and list fields (their creating writes). */
  readonly seqs: SeqAtom[];
  readonly children: Map<string, FieldView>;
}

/** A document as the surviving atoms of a cut make it. */
export interface DocView {
  /** The cut (which text and list units it shows). */
  readonly cut: Cut;
  readonly alive: number;
  readonly deleted: number;
  readonly root: Map<string, FieldView>;
}

export function emptyFieldView(): FieldView {
  return { regs: [], ctrs: [], elems: new Map(), seqs: [], children: new Map() };
}

export function buildView(atoms: readonly Atom[], cut: Cut): DocView {
  let alive = 0;
  let deleted = 0;
  const root = new Map<string, FieldView>();
  for (const atom of atoms) {
    if (atom.kind === 'alive') alive += 1;
    else if (atom.kind === 'deleted') deleted += 1;
    else {
      let level = root;
      let field: FieldView | undefined;
      for (const key of atom.path) {
        field = level.get(key);
        if (!field) {
          field = emptyFieldView();
          level.set(key, field);
        }
        level = field.children;
      }
      if (!field) throw new Error('Weft simulator: an atom without a path');
      if (atom.kind === 'reg') field.regs.push(atom);
      else if (atom.kind === 'ctr') field.ctrs.push(atom);
      else if (atom.kind === 'seq') field.seqs.push(atom);
      else {
        const adds = field.elems.get(atom.key);
        if (adds) adds.push(atom);
        else field.elems.set(atom.key, [atom]);
      }
    }
  }
  return { cut, alive, deleted, root };
}

/**
 * Documented rule (README "The database", and `Collection.delete`): a document exists when it
 * was inserted and no delete survives (delete wins over concurrent writes; an insert made
 * after seeing a delete covers it and brings the document back).
 */
export function viewExists(view: DocView): boolean {
  return view.deleted === 0 && view.alive > 0;
}

/** The document as a plain object with its id, or undefined when it does not exist. */
export function readView(view: DocView, id: string): { [field: string]: Value } | undefined {
  if (!viewExists(view)) return undefined;
  const fields = readObject(view.root, view.cut);
  delete fields.id; // the id is the key, not a field
  const out: { [field: string]: Value } = { id };
  for (const [k, v] of Object.entries(fields)) setOwn(out, k, v);
  return out;
}

export function readObject(fields: Map<string, FieldView>, cut: Cut): { [field: string]: Value } {
  const out: { [field: string]: Value } = {};
  for (const [key, field] of fields) {
    const value = readField(field, cut);
    if (value !== undefined) setOwn(out, key, value);
  }
  return out;
}

/**
 * What a field reads as, by the documented rules: a counter reads as the sum of every actor's
 * surviving totals; a set as its elements with a surviving add (add wins), sorted; otherwise
 * whichever of the register's value, the text or list field and the nested object was written
 * last (HLC stamp, then actor id; a text or list field counts from the write that made it).
 */
export function readField(field: FieldView, cut: Cut): Value | undefined {
  if (field.ctrs.length > 0) {
    let total = 0;
    for (const c of field.ctrs) total += c.inc - c.dec;
    return total;
  }
  if (field.elems.size > 0) {
    return [...field.elems.values()].map((adds) => adds[0]!.value).sort(compareValues);
  }
  const seq = visibleSeq(field);
  if (seq) return seqValue(seq, cut);
  const reg = newestOf(field.regs);
  if (field.children.size > 0) {
    const nested = newestUnder(field.children);
    if (!reg || (nested && compareStamps(nested.event, reg.event) > 0)) {
      return readObject(field.children, cut);
    }
  }
  return reg?.value;
}

/**
 * The text or list field readers see (and edits go to): the newest one, unless a register
 * value or something in the nested object was written after it, or a counter or set is there.
 */
export function visibleSeq(field: FieldView): SeqAtom | undefined {
  if (field.ctrs.length > 0 || field.elems.size > 0) return undefined;
  const seq = newestOf(field.seqs);
  if (!seq) return undefined;
  const reg = newestOf(field.regs);
  if (reg && compareStamps(reg.event, seq.event) > 0) return undefined;
  const nested = newestUnder(field.children);
  if (nested && compareStamps(nested.event, seq.event) > 0) return undefined;
  return seq;
}

/** The field at `path` of a view, if any atom survives there. */
export function fieldAt(view: DocView, path: readonly string[]): FieldView | undefined {
  let level = view.root;
  let field: FieldView | undefined;
  for (const key of path) {
    field = level.get(key);
    if (!field) return undefined;
    level = field.children;
  }
  return field;
}

export function newestOf<A extends Atom>(atoms: readonly A[]): A | undefined {
  let best: A | undefined;
  for (const a of atoms) if (!best || compareStamps(a.event, best.event) > 0) best = a;
  return best;
}

/** The newest write anywhere under an object (what "written last" compares). */
function newestUnder(fields: Map<string, FieldView>): Atom | undefined {
  let best: Atom | undefined;
  const consider = (a: Atom | undefined) => {
    if (a && (!best || compareStamps(a.event, best.event) > 0)) best = a;
  };
  for (const f of fields.values()) {
    consider(newestOf(f.regs));
    consider(newestOf(f.ctrs));
    for (const adds of f.elems.values()) consider(newestOf(adds));
    consider(newestOf(f.seqs));
    consider(newestUnder(f.children));
  }
  return best;
}
