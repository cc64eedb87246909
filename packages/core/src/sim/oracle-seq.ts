import { type Value, valueEquals } from '../encoding/value.js';
import type { Anchor } from '../text/ops.js';
import { integrate } from './oracle-fugue.js';
import type { Cut, OracleEvent, SeqAtom, Unit } from './oracle-model.js';
import { Refusal } from './oracle-refusal.js';

/**
 * Text and list fields in the oracle, by the documented rules (README, `spliceText`):
 * - units have ids (actor, seq): each actor numbers the units it inserts into one sequence
 *   0, 1, 2…; a write's initial content is its writer's first units;
 * - an insert at visible position p takes as left origin the visible unit at p-1 and as right
 *   origin the unit right after that one among all units, deleted ones included; the order is
 *   FugueMax (oracle-fugue.ts);
 * - a text unit is a UTF-16 code unit, and no position may fall inside a surrogate pair.
 * Everything is worked out from the writer's cut (its past and its own event so far).
 */

export type SeqKind = 'text' | 'list';

/** Deletes `del` visible units at `pos`, then inserts `insert` there. */
export interface Splice {
  readonly pos: number;
  readonly del: number;
  readonly insert: string | readonly Value[];
}

/** A sequence's units in a cut: all of them (deleted ones too), and the visible ones. */
export function unitsAt(atom: SeqAtom, cut: Cut): { full: Unit[]; visible: Unit[] } {
  const full = atom.units.filter((u) => cut(u.event));
  return { full, visible: full.filter((u) => !u.deleters.some(cut)) };
}

/** What a sequence reads as in a cut: its string, or the array of its elements. */
export function seqValue(atom: SeqAtom, cut: Cut): Value {
  const values = unitsAt(atom, cut).visible.map((u) => u.value);
  return atom.seqKind === 'text' ? values.join('') : values;
}

/** Applies a splice of `event`'s writer, planned on what that writer sees (`cut`). */
export function spliceUnits(atom: SeqAtom, cut: Cut, event: OracleEvent, splice: Splice): void {
  const { full, visible } = unitsAt(atom, cut);
  const { pos, del, insert } = splice;
  for (const u of visible.slice(pos, pos + del)) u.deleters.push(event);
  const left = pos > 0 ? visible[pos - 1]! : null;
  const right = (left ? full[full.indexOf(left) + 1] : full[0]) ?? null;
  let seq = 0;
  for (const u of full) if (u.actor === event.actor) seq = Math.max(seq, u.seq + 1);
  let prev = left;
  for (const value of unitValues(insert)) {
    const unit: Unit = {
      actor: event.actor,
      seq: seq++,
      left: prev,
      right,
      value,
      event,
      deleters: [],
    };
    integrate(atom.units, unit);
    prev = unit;
  }
}

/** Content as units: the code units of a string (not its code points), or the elements. */
function unitValues(content: string | readonly Value[]): Value[] {
  if (typeof content !== 'string') return content.map((v) => structuredClone(v));
  const out: string[] = [];
  for (let i = 0; i < content.length; i++) out.push(content[i]!);
  return out;
}

/** A text field takes a well-formed string, a list field an array. */
export function checkSeqContent(kind: SeqKind, path: readonly string[], value: Value): void {
  const name = path.join('.');
  if (kind === 'text') {
    if (typeof value !== 'string')
      throw new Refusal('invalid-value', `text field "${name}" needs a string`);
    if (!value.isWellFormed())
      throw new Refusal('invalid-value', `text field "${name}" holds a lone surrogate`);
  } else if (!Array.isArray(value)) {
    throw new Refusal('invalid-value', `list field "${name}" needs an array`);
  }
}

/** A splice in range that cuts no surrogate pair (positions are checked even when empty). */
export function checkSplice(kind: SeqKind, visible: readonly Value[], splice: Splice): void {
  const { pos, del } = splice;
  const n = visible.length;
  if (!(Number.isInteger(pos) && Number.isInteger(del) && pos >= 0 && del >= 0 && pos + del <= n))
    throw new Refusal('invalid-position', `splice ${del} at ${pos}: the length is ${n}`);
  if (kind !== 'text') return;
  // Only a high surrogate has its pair after it: a boundary right after one cuts the pair.
  const cutsAfter = (i: number) => i >= 0 && isHigh(visible[i] as string);
  const cuts =
    (del > 0 && (cutsAfter(pos - 1) || cutsAfter(pos + del - 1))) ||
    (splice.insert.length > 0 && cutsAfter(pos - 1));
  if (cuts) throw new Refusal('invalid-position', `splice ${del} at ${pos} cuts a surrogate pair`);
}

/**
 * The one span an update changes (documented: "an update diffs against the current value and
 * edits only the changed span"): the longest common prefix, then the longest common suffix of
 * the rest, each backed off so as not to end inside a surrogate pair. Undefined when equal.
 */
export function diffSplice(kind: SeqKind, before: Value, after: Value): Splice | undefined {
  const a = kind === 'text' ? unitValues(before as string) : (before as Value[]);
  const b = kind === 'text' ? unitValues(after as string) : (after as Value[]);
  const same = (x: Value, y: Value) => (kind === 'text' ? x === y : valueEquals(x, y));
  let p = 0;
  while (p < a.length && p < b.length && same(a[p]!, b[p]!)) p++;
  if (kind === 'text' && p > 0 && isHigh(a[p - 1] as string)) p--;
  let s = 0;
  while (s < a.length - p && s < b.length - p && same(a[a.length - 1 - s]!, b[b.length - 1 - s]!))
    s++;
  if (kind === 'text' && s > 0 && isLow(a[a.length - s] as string)) s--;
  const del = a.length - p - s;
  const insert =
    kind === 'text' ? (after as string).slice(p, b.length - s) : b.slice(p, b.length - s);
  return del === 0 && insert.length === 0 ? undefined : { pos: p, del, insert };
}

/** The anchor `cursor(…, index, stick)` gives in a cut. */
export function anchorAt(atom: SeqAtom, cut: Cut, index: number, stick: 'left' | 'right'): Anchor {
  const { visible } = unitsAt(atom, cut);
  if (!(Number.isInteger(index) && index >= 0 && index <= visible.length))
    throw new Refusal('invalid-position', `cursor at ${index}: the length is ${visible.length}`);
  if (stick === 'right') {
    const u = visible[index];
    return u ? { kind: 'before', actor: u.actor, seq: u.seq } : { kind: 'end' };
  }
  const u = visible[index - 1];
  return u ? { kind: 'after', actor: u.actor, seq: u.seq } : { kind: 'start' };
}

/**
 * Where an anchor is in a cut: before or after its unit, or where the unit was if it is
 * deleted. Undefined when the cut lacks the unit (the API throws MissingDependencyError).
 */
export function positionAt(atom: SeqAtom, cut: Cut, anchor: Anchor): number | undefined {
  const { full } = unitsAt(atom, cut);
  if (anchor.kind === 'start') return 0;
  let before = 0;
  for (const u of full) {
    const shown = !u.deleters.some(cut);
    if (anchor.kind !== 'end' && u.actor === anchor.actor && u.seq === anchor.seq)
      return before + (shown && anchor.kind === 'after' ? 1 : 0);
    if (shown) before++;
  }
  return anchor.kind === 'end' ? before : undefined;
}

/**
 * Every unit of a sequence in a cut, deleted ones included, with the position its `before`
 * anchor must give: checks the order of the ids, tombstones too, not only the content.
 */
export function unitPositions(
  atom: SeqAtom,
  cut: Cut,
): { actor: string; seq: number; pos: number }[] {
  const out: { actor: string; seq: number; pos: number }[] = [];
  let before = 0;
  for (const u of unitsAt(atom, cut).full) {
    out.push({ actor: u.actor, seq: u.seq, pos: before });
    if (!u.deleters.some(cut)) before++;
  }
  return out;
}

function isHigh(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0xdc00 && code <= 0xdfff;
}
