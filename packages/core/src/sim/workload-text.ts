import type { Doc } from '../document/read.js';
import type { Value } from '../encoding/value.js';
import type { SimCursorOp, SimWrite } from './ops.js';
import type { Prng } from './prng.js';

// The default workload's text and list fields (in `cards`: `body` and `meta.draft` are text,
// `items` a list): new values, updates that change one span (the diff path), splices, and
// cursors. Positions come from the text the replica shows, kept off the middle of surrogate
// pairs, except now and then one out of range or inside a pair (the API must refuse those).

/** What these writes read (a WorkloadContext; declared here, so as not to import it back). */
interface Context {
  readonly rng: Prng;
  get(collection: string, id: string): Doc | undefined;
}

const TEXTS = ['', 'a', 'hi', 'hello world', 'é', '😀', 'a😀b', 'two\nlines'];
// 😀 and 😁 share their high surrogate, 😀 and 🈀 their low one: an update that swaps them
// must not diff into half a pair.
const PIECES = ['a', 'b', 'xy', ' ', 'hello', '😀', 'é', 'z😀', '\n', '😀😁', '😁', '🈀'];
export const TEXT_PATHS = ['body', 'body', 'meta.draft'];

export function textValue(rng: Prng): string {
  return rng.pick(TEXTS);
}

function element(rng: Prng): Value {
  switch (rng.weighted([6, 1, 1, 1])) {
    case 0:
      return rng.between(0, 9);
    case 1:
      return rng.pick(['x', 'y', '😀']);
    case 2:
      return { k: rng.between(0, 3) };
    default:
      return rng.chance(0.5) ? null : [rng.between(0, 3)];
  }
}

export function listValue(rng: Prng): Value[] {
  return Array.from({ length: rng.int(4) }, () => element(rng));
}

/** `text` with one span changed (or, now and then, a new text). */
export function editedText(rng: Prng, text: Value | undefined): string {
  if (typeof text !== 'string' || rng.chance(0.15)) return textValue(rng);
  const emoji = /😀|😁|🈀/.exec(text);
  if (emoji && rng.chance(0.25)) {
    const other = rng.pick(['😀', '😁', '🈀'].filter((e) => e !== emoji[0]));
    return text.slice(0, emoji.index) + other + text.slice(emoji.index + 2);
  }
  const s = spliceOf(rng, text);
  return text.slice(0, s.index) + s.insert + text.slice(s.index + s.deleteCount);
}

/** `list` with one span changed (or, now and then, a new list). */
export function editedList(rng: Prng, list: Value | undefined): Value[] {
  if (!Array.isArray(list) || rng.chance(0.15)) return listValue(rng);
  const index = rng.int(list.length + 1);
  const del = rng.int(Math.min(3, list.length - index) + 1);
  const out = [...list];
  out.splice(index, del, ...listValue(rng).slice(0, 2));
  return out;
}

/** A splice of `text` on code point boundaries: index, units deleted, text inserted. */
function spliceOf(rng: Prng, text: string): { index: number; deleteCount: number; insert: string } {
  // Often at the ends, where concurrent typing meets (same origins: the order rules matter).
  const r = rng.weighted([2, 1, 3]);
  const index = r === 0 ? text.length : r === 1 ? 0 : boundary(text, rng.int(text.length + 1));
  const end = boundary(text, Math.min(text.length, index + (rng.chance(0.6) ? 0 : rng.int(6))));
  const insert = rng.chance(0.7) ? rng.pick(PIECES) : '';
  return { index, deleteCount: Math.max(0, end - index), insert };
}

/** `pos`, moved back off the middle of a surrogate pair. */
function boundary(text: string, pos: number): number {
  const c = text.charCodeAt(pos - 1);
  return pos > 0 && pos < text.length && c >= 0xd800 && c <= 0xdbff ? pos - 1 : pos;
}

/** A document of `ids` that shows a value of `kind` at `path` (most of the time), or any. */
function targetWith(
  ctx: Context,
  collection: string,
  ids: readonly string[],
  path: string,
  kind: 'string' | 'array',
): { id: string; value: Value | undefined } {
  const fits = ids.filter((id) => kindOf(at(ctx.get(collection, id), path)) === kind);
  // Mostly a few hot documents, so that texts grow a history (tombstones, concurrent runs).
  const hot = ctx.rng.chance(0.6) ? fits.slice(0, 3) : fits;
  const id = hot.length > 0 && ctx.rng.chance(0.9) ? ctx.rng.pick(hot) : ctx.rng.pick(ids);
  return { id, value: at(ctx.get(collection, id), path) };
}

export function spliceTextWrite(ctx: Context, collection: string, ids: string[]): SimWrite {
  const { rng } = ctx;
  const path = rng.pick(TEXT_PATHS);
  const { id, value } = targetWith(ctx, collection, ids, path, 'string');
  const text = typeof value === 'string' ? value : '';
  let { index, deleteCount, insert } = spliceOf(rng, text);
  if (rng.chance(0.02)) index = text.length + 1; // out of range
  const pair = text.search(/[\ud800-\udbff]/);
  if (pair >= 0 && rng.chance(0.03)) index = pair + 1; // inside a pair
  return { kind: 'spliceText', collection, id, path, index, deleteCount, text: insert };
}

export function spliceListWrite(ctx: Context, collection: string, ids: string[]): SimWrite {
  const { rng } = ctx;
  const { id, value } = targetWith(ctx, collection, ids, 'items', 'array');
  const length = Array.isArray(value) ? value.length : 0;
  const index = rng.int(length + (rng.chance(0.03) ? 2 : 1));
  const deleteCount = rng.int(Math.min(3, Math.max(0, length - index)) + 1);
  const values = rng.chance(0.7) ? listValue(rng).slice(0, 2) : [];
  return { kind: 'spliceList', collection, id, path: 'items', index, deleteCount, values };
}

export function cursorOp(ctx: Context, collection: string, ids: string[]): SimCursorOp {
  const { rng } = ctx;
  const path = rng.chance(0.25) ? 'items' : rng.pick(TEXT_PATHS);
  const kind = path === 'items' ? 'array' : 'string';
  const { id, value } = targetWith(ctx, collection, ids, path, kind);
  const length = typeof value === 'string' || Array.isArray(value) ? value.length : 0;
  const index = rng.int(length + (rng.chance(0.03) ? 2 : 1));
  return { kind: 'cursor', collection, id, path, index, stick: rng.chance(0.5) ? 'left' : 'right' };
}

function at(doc: Doc | undefined, path: string): Value | undefined {
  let v: Value | undefined = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array)
      return undefined;
    v = Object.hasOwn(v, key) ? v[key] : undefined;
  }
  return v;
}

function kindOf(value: Value | undefined): string {
  return Array.isArray(value) ? 'array' : typeof value;
}
