import { type Value, valueEquals } from '../encoding/value.js';
import { InvalidValueError } from '../errors.js';
import { planDelete, planInsert } from '../text/plan.js';
import type { SeqCrdt } from '../text/seq-crdt.js';
import { type FieldNode, fieldDots, type SeqEntry } from './node.js';
import type { DocOp, SeqEdit } from './ops.js';
import { type ActorNames, visibleSequence } from './read.js';

export type SequenceKind = 'text' | 'list';

/**
 * Operations that make a text or list field read as `after`: an edit of the sequence readers
 * see (only the span that changed, so concurrent edits elsewhere merge), or, when the field
 * holds no such sequence, a new one that replaces whatever the writer saw there.
 */
export function sequenceOps(
  kind: SequenceKind,
  path: readonly string[],
  field: FieldNode | undefined,
  after: Value,
  writer: string,
  actors: ActorNames,
): DocOp[] {
  checkContent(kind, path, after);
  const current = field && visibleSequence(field, actors);
  if (current === undefined || current.kind !== kind) return [createOp(kind, path, field, after)];
  const { pos, del, insert } =
    current.kind === 'text'
      ? textSplice(current.crdt.toString(), after as string)
      : listSplice(current.crdt.toArray(), after as Value[]);
  const edit = spliceOp(current, path, pos, del, insert, writer);
  return edit ? [edit] : [];
}

/**
 * The operation that deletes `del` units at `pos` of the sequence readers see in `field` and
 * inserts `insert` there. Undefined when it changes nothing. Throws InvalidValueError when the
 * field is not a sequence of that kind, InvalidPositionError for positions out of range.
 */
export function spliceOps(
  kind: SequenceKind,
  collection: string,
  id: string,
  path: readonly string[],
  field: FieldNode | undefined,
  pos: number,
  del: number,
  insert: string | readonly Value[],
  writer: string,
  actors: ActorNames,
): DocOp | undefined {
  const current = field && visibleSequence(field, actors);
  if (current === undefined || current.kind !== kind) {
    throw new InvalidValueError(
      `${collection}/${id} field "${path.join('.')}" is not a ${kind} field: declare it with ` +
        `fields: { '${path.join('.')}': '${kind}' } and write it (insert, put or update) first`,
    );
  }
  checkContent(kind, path, insert as Value);
  return spliceOp(current, path, pos, del, insert, writer);
}

function spliceOp(
  entry: SeqEntry,
  path: readonly string[],
  pos: number,
  del: number,
  insert: string | readonly Value[],
  writer: string,
): DocOp | undefined {
  const crdt = entry.crdt as SeqCrdt<string | Value[]>;
  const content = typeof insert === 'string' ? insert : [...insert];
  // Both planned on the sequence as it is: the insert's right origin is then the first deleted
  // unit, which is where it lands after the delete too.
  const removal = planDelete(crdt, pos, del);
  const addition = planInsert(crdt, writer, pos, content);
  const edits: SeqEdit<string | Value[]>[] = [];
  if (removal) edits.push(removal);
  if (addition) {
    const { left, right } = addition;
    edits.push({ kind: 'insert', left, right, content });
  }
  if (edits.length === 0) return undefined;
  return entry.kind === 'text'
    ? { kind: 'editText', path, target: entry.dot, edits: edits as SeqEdit<string>[], covers: [] }
    : { kind: 'editList', path, target: entry.dot, edits: edits as SeqEdit<Value[]>[], covers: [] };
}

function createOp(
  kind: SequenceKind,
  path: readonly string[],
  field: FieldNode | undefined,
  initial: Value,
): DocOp {
  const covers = field ? fieldDots(field) : [];
  return kind === 'text'
    ? { kind, path, initial: initial as string, covers }
    : { kind, path, initial: [...(initial as Value[])], covers };
}

function checkContent(kind: SequenceKind, path: readonly string[], value: Value): void {
  if (kind === 'text') {
    if (typeof value !== 'string') {
      throw new InvalidValueError(
        `text field "${path.join('.')}" needs a string, got ${JSON.stringify(value)}`,
      );
    }
    if (!value.isWellFormed()) {
      throw new InvalidValueError(`text field "${path.join('.')}" contains a lone surrogate`);
    }
  } else if (!Array.isArray(value)) {
    throw new InvalidValueError(
      `list field "${path.join('.')}" needs an array, got ${JSON.stringify(value)}`,
    );
  }
}

interface Splice<C> {
  readonly pos: number;
  readonly del: number;
  readonly insert: C;
}

/** The one span where `a` and `b` differ, never cutting a surrogate pair. */
export function textSplice(a: string, b: string): Splice<string> {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  if (p > 0 && isHighSurrogate(a.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && isLowSurrogate(a.charCodeAt(a.length - s))) s--;
  return { pos: p, del: a.length - p - s, insert: b.slice(p, b.length - s) };
}

/** The one span where two lists differ (elements compared by value). */
export function listSplice(a: readonly Value[], b: readonly Value[]): Splice<Value[]> {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && valueEquals(a[p]!, b[p]!)) p++;
  let s = 0;
  while (s < max - p && valueEquals(a[a.length - 1 - s]!, b[b.length - 1 - s]!)) s++;
  return { pos: p, del: a.length - p - s, insert: b.slice(p, b.length - s) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
