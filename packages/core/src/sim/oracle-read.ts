import { compareValues, setOwn, type Value } from '../encoding/value.js';
import {
  type Atom,
  type CounterAtom,
  compareStamps,
  type ElementAtom,
  type RegisterAtom,
} from './oracle-model.js';

/** The surviving atoms of one field, and the fields under it. */
export interface FieldView {
  readonly regs: RegisterAtom[];
  readonly ctrs: CounterAtom[];
  /** Set elements by key, with the adds that keep each. */
  readonly elems: Map<string, ElementAtom[]>;
  readonly children: Map<string, FieldView>;
}

/** A document as the surviving atoms of a cut make it. */
export interface DocView {
  readonly alive: number;
  readonly deleted: number;
  readonly root: Map<string, FieldView>;
}

export function emptyFieldView(): FieldView {
  return { regs: [], ctrs: [], elems: new Map(), children: new Map() };
}

export function buildView(atoms: readonly Atom[]): DocView {
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
      else {
        const adds = field.elems.get(atom.key);
        if (adds) adds.push(atom);
        else field.elems.set(atom.key, [atom]);
      }
    }
  }
  return { alive, deleted, root };
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
  const fields = readObject(view.root);
  delete fields.id; // the id is the key, not a field
  const out: { [field: string]: Value } = { id };
  for (const [k, v] of Object.entries(fields)) setOwn(out, k, v);
  return out;
}

export function readObject(fields: Map<string, FieldView>): { [field: string]: Value } {
  const out: { [field: string]: Value } = {};
  for (const [key, field] of fields) {
    const value = readField(field);
    if (value !== undefined) setOwn(out, key, value);
  }
  return out;
}

/**
 * What a field reads as, by the documented rules: a counter reads as the sum of every actor's
 * surviving totals; a set as its elements with a surviving add (add wins), sorted; otherwise
 * the register's last-writer-wins value (HLC stamp, then actor id) or the nested object,
 * whichever was written last.
 */
export function readField(field: FieldView): Value | undefined {
  if (field.ctrs.length > 0) {
    let total = 0;
    for (const c of field.ctrs) total += c.inc - c.dec;
    return total;
  }
  if (field.elems.size > 0) {
    return [...field.elems.values()].map((adds) => adds[0]!.value).sort(compareValues);
  }
  const reg = newestOf(field.regs);
  if (field.children.size > 0) {
    const nested = newestUnder(field.children);
    if (!reg || (nested && compareStamps(nested.event, reg.event) > 0)) {
      return readObject(field.children);
    }
  }
  return reg?.value;
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
    consider(newestUnder(f.children));
  }
  return best;
}
