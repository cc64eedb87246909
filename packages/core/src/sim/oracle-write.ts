import type { FieldKind, FieldKinds } from '../document/diff.js';
import { isPlainObject, type PlainObject } from '../document/plain.js';
import { type Value, valueEquals, valueKey } from '../encoding/value.js';
import type { Cut, Scope, SeqAtom } from './oracle-model.js';
import { type FieldView, visibleSeq } from './oracle-read.js';
import { Refusal } from './oracle-refusal.js';
import { checkSeqContent, diffSplice, type SeqKind, type Splice, seqValue } from './oracle-seq.js';

/** An atom a write adds (the event and its position are filled in by the oracle). */
export type AtomSpec =
  | { readonly kind: 'alive' | 'deleted' }
  | { readonly kind: 'reg'; readonly path: readonly string[]; readonly value: Value }
  | {
      readonly kind: 'ctr';
      readonly path: readonly string[];
      readonly inc: number;
      readonly dec: number;
    }
  | {
      readonly kind: 'elem';
      readonly path: readonly string[];
      readonly value: Value;
      readonly key: string;
    }
  | {
      readonly kind: 'seq';
      readonly path: readonly string[];
      readonly seqKind: SeqKind;
      readonly initial: string | readonly Value[];
    };

/**
 * One step of a write: what it overwrites (of what its writer had seen), then what it adds,
 * or an edit of a text or list field the writer sees.
 */
export interface Step {
  readonly scope?: Scope;
  readonly atom?: AtomSpec;
  readonly edit?: { readonly target: SeqAtom; readonly splice: Splice };
}

/**
 * The documented meaning of writes, as steps. The writer's view of the document (what it had
 * seen) decides what a write overwrites; everything else follows from causality.
 *
 * - insert / put: the document as given replaces everything the writer saw in it.
 * - delete: removes everything the writer saw, and marks the document deleted.
 * - update: each field whose value changes is written, and each field a patch names (which
 *   settles its conflict); a field neither changed nor named keeps its concurrent values;
 *   a removed field is cleared; an object
 *   value merges key by key; a counter field takes the writer's running total plus the change
 *   (`d.votes += 1` merges with concurrent increments); a set field adds the new elements and
 *   removes the missing ones, as the writer saw them (a concurrent add survives a remove).
 * - text and list fields: a new one is made where the writer sees none (replacing what it saw
 *   there); otherwise an update edits the one it sees, in the one span that changed.
 */
export function insertSteps(fields: PlainObject, kinds: FieldKinds): Step[] {
  const steps: Step[] = [{ scope: { kind: 'doc' }, atom: { kind: 'alive' } }];
  freshFields(steps, [], fields, kinds);
  return steps;
}

export function deleteSteps(): Step[] {
  return [{ scope: { kind: 'doc' }, atom: { kind: 'deleted' } }];
}

function freshFields(steps: Step[], path: string[], fields: PlainObject, kinds: FieldKinds): void {
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    const at = [...path, key];
    const kind = kindAt(kinds, at);
    if (kind === 'text' || kind === 'list') {
      checkSeqContent(kind, at, value);
      steps.push({ atom: { kind: 'seq', path: at, seqKind: kind, initial: seqCopy(value) } });
    } else if (kind === 'counter') {
      const n = counterValue(at, value);
      steps.push({ atom: { kind: 'ctr', path: at, inc: Math.max(n, 0), dec: Math.max(-n, 0) } });
    } else if (kind === 'set') {
      steps.push({ atom: { kind: 'reg', path: at, value: [] } });
      for (const [k, v] of setElements(at, value))
        steps.push({ atom: { kind: 'elem', path: at, value: v, key: k } });
    } else if (isPlainObject(value) && Object.keys(value).length > 0) {
      freshFields(steps, at, value, kinds);
    } else {
      steps.push({ atom: { kind: 'reg', path: at, value } });
    }
  }
}

export function updateSteps(
  fields: Map<string, FieldView>,
  before: PlainObject,
  after: PlainObject,
  kinds: FieldKinds,
  actor: string,
  cut: Cut,
  /** The patch written, if the update was a patch (a draft names no field). */
  patch?: PlainObject,
): Step[] {
  const steps: Step[] = [];
  updateObject({ steps, kinds, actor, cut }, [], fields, before, after, patch);
  return steps;
}

interface UpdateContext {
  readonly steps: Step[];
  readonly kinds: FieldKinds;
  readonly actor: string;
  /** What the writer sees (of text and list fields). */
  readonly cut: Cut;
}

function updateObject(
  ctx: UpdateContext,
  path: string[],
  fields: Map<string, FieldView> | undefined,
  before: PlainObject,
  after: PlainObject,
  patch: PlainObject | undefined,
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...(fields?.keys() ?? [])]);
  for (const key of keys) {
    const named = patch !== undefined && Object.hasOwn(patch, key);
    const inner = named && isPlainObject(patch[key]) ? (patch[key] as PlainObject) : undefined;
    updateField(ctx, [...path, key], fields?.get(key), own(before, key), own(after, key), {
      named,
      inner,
    });
  }
}

function updateField(
  ctx: UpdateContext,
  path: string[],
  field: FieldView | undefined,
  before: Value | undefined,
  after: Value | undefined,
  written: { readonly named: boolean; readonly inner: PlainObject | undefined },
): void {
  const { steps } = ctx;
  if (after === undefined) {
    if (field) steps.push({ scope: { kind: 'subtree', path } });
    return;
  }
  const kind = kindAt(ctx.kinds, path);
  if (kind === 'text' || kind === 'list') {
    checkSeqContent(kind, path, after);
    // Diffed against the field's own text, which is what `before` shows unless an ancestor
    // reads as a register written after it.
    const seq = field && visibleSeq(field);
    if (seq) {
      const splice = diffSplice(kind, seqValue(seq, ctx.cut), after);
      if (splice) steps.push({ edit: { target: seq, splice } });
      return;
    }
    steps.push({
      ...(field ? { scope: { kind: 'subtree', path } as const } : {}),
      atom: { kind: 'seq', path, seqKind: kind, initial: seqCopy(after) },
    });
    return;
  }
  if (kind === 'counter') {
    const target = counterValue(path, after);
    const delta = target - (typeof before === 'number' ? before : 0);
    if (delta === 0 && field && field.ctrs.length > 0) return;
    let inc = 0;
    let dec = 0;
    for (const c of field?.ctrs ?? []) {
      if (c.event.actor !== ctx.actor) continue;
      inc = Math.max(inc, c.inc);
      dec = Math.max(dec, c.dec);
    }
    if (delta > 0) inc += delta;
    else dec -= delta;
    steps.push({
      scope: { kind: 'tally', path, actor: ctx.actor },
      atom: { kind: 'ctr', path, inc, dec },
    });
    return;
  }
  if (kind === 'set') {
    const wanted = setElements(path, after);
    if (!field || field.regs.length === 0) {
      steps.push({
        ...(field ? { scope: { kind: 'set-created', path } as const } : {}),
        atom: { kind: 'reg', path, value: [] },
      });
    }
    for (const [k, v] of wanted) {
      if (!field?.elems.has(k)) steps.push({ atom: { kind: 'elem', path, value: v, key: k } });
    }
    for (const k of field?.elems.keys() ?? []) {
      if (!wanted.has(k)) steps.push({ scope: { kind: 'element', path, key: k } });
    }
    return;
  }
  if (isPlainObject(after) && Object.keys(after).length > 0) {
    const here = field && field.regs.length + field.ctrs.length + field.seqs.length > 0;
    if (here || (field && field.elems.size > 0)) {
      steps.push({ scope: { kind: 'here', path } });
    }
    const inside = isPlainObject(before) ? before : {};
    updateObject(ctx, path, field?.children, inside, after, written.inner);
    return;
  }
  // A plain value: unchanged and uncontested (or unchanged and not named), nothing to write.
  const settled =
    field !== undefined &&
    field.regs.length === 1 &&
    field.children.size === 0 &&
    field.ctrs.length === 0 &&
    field.elems.size === 0 &&
    field.seqs.length === 0;
  const unchanged = before !== undefined && valueEquals(before, after);
  if (unchanged && (settled || !written.named)) return;
  steps.push({
    ...(field ? { scope: { kind: 'subtree', path } as const } : {}),
    atom: { kind: 'reg', path, value: after },
  });
}

function seqCopy(value: Value): string | Value[] {
  return typeof value === 'string' ? value : structuredClone(value as Value[]);
}

function own(obj: PlainObject, key: string): Value | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function kindAt(kinds: FieldKinds, path: readonly string[]): FieldKind | undefined {
  const name = path.join('.');
  return Object.hasOwn(kinds, name) ? kinds[name] : undefined;
}

function counterValue(path: readonly string[], value: Value): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Refusal(
      'invalid-value',
      `counter field "${path.join('.')}" needs an integer, got ${String(value)}`,
    );
  }
  return value;
}

function setElements(path: readonly string[], value: Value): Map<string, Value> {
  if (!Array.isArray(value)) {
    throw new Refusal('invalid-value', `set field "${path.join('.')}" needs an array`);
  }
  return new Map(value.map((v) => [valueKey(v), v]));
}
