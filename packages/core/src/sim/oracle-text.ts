import type { Value } from '../encoding/value.js';
import type { Anchor } from '../text/ops.js';
import type { SimWrite } from './ops.js';
import type { SeqAtom } from './oracle-model.js';
import { type DocView, fieldAt, viewExists, visibleSeq } from './oracle-read.js';
import { Refusal } from './oracle-refusal.js';
import {
  anchorAt,
  checkSeqContent,
  checkSplice,
  positionAt,
  unitPositions,
  unitsAt,
} from './oracle-seq.js';
import type { Step } from './oracle-write.js';

// Text and list fields as a document view shows them: the splice a writer makes on what it
// sees, and the cursors and positions a replica must give at its cut. What the API must throw
// instead is thrown as a Refusal with the error's code.

type Splice = Extract<SimWrite, { kind: 'spliceText' | 'spliceList' }>;

/** The step of a `spliceText` / `spliceList` on the writer's view (none if it changes nothing). */
export function spliceSteps(view: DocView, write: Splice): Step[] {
  if (!viewExists(view)) throw new Refusal('not-found', `${write.id} does not exist`);
  const kind = write.kind === 'spliceText' ? 'text' : 'list';
  const target = shownSeq(view, write.path);
  if (target.seqKind !== kind)
    throw new Refusal('invalid-value', `"${write.path}" is not a ${kind} field`);
  const insert = write.kind === 'spliceText' ? write.text : write.values;
  checkSeqContent(kind, target.path, insert as Value);
  const splice = { pos: write.index, del: write.deleteCount, insert };
  const visible = unitsAt(target, view.cut).visible.map((u) => u.value);
  checkSplice(kind, visible, splice);
  return splice.del > 0 || insert.length > 0 ? [{ edit: { target, splice } }] : [];
}

/** The anchor `cursor(id, path, index, stick)` gives in a view. */
export function cursorIn(
  view: DocView | undefined,
  path: string,
  index: number,
  stick: 'left' | 'right',
): Anchor {
  return anchorAt(shownSeq(shown(view), path), shown(view).cut, index, stick);
}

/** Where `anchor` is in a view. */
export function positionIn(view: DocView | undefined, path: string, anchor: Anchor): number {
  const pos = positionAt(shownSeq(shown(view), path), shown(view).cut, anchor);
  if (pos === undefined)
    throw new Refusal('missing-dependency', `the anchor's unit is not in this cut`);
  return pos;
}

/** The units of the text or list field at `path` (see `unitPositions`), if readers see one. */
export function unitsIn(
  view: DocView | undefined,
  path: string,
): { actor: string; seq: number; pos: number }[] | undefined {
  if (!view || !viewExists(view)) return undefined;
  const field = fieldAt(view, path.split('.'));
  const seq = field && visibleSeq(field);
  return seq && unitPositions(seq, view.cut);
}

/** A document readers see: cursors are into those only (the API says there is no field). */
function shown(view: DocView | undefined): DocView {
  if (!view || !viewExists(view)) throw new Refusal('invalid-value', 'no such document');
  return view;
}

/** The text or list field readers see at `path`. */
function shownSeq(view: DocView, path: string): SeqAtom {
  const field = fieldAt(view, path.split('.'));
  const seq = field && visibleSeq(field);
  if (!seq) throw new Refusal('invalid-value', `no text or list field at "${path}"`);
  return seq;
}
