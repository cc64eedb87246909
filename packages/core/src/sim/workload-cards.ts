import type { PlainObject } from '../document/plain.js';
import type { Doc } from '../document/read.js';
import type { Value } from '../encoding/value.js';
import type { SimEdit } from './ops.js';
import type { Prng } from './prng.js';
import { editedList, editedText, listValue, textValue } from './workload-text.js';
import { anyValue, STATUSES, STRINGS, TAGS, tags } from './workload-values.js';

// The default workload's `cards` collection: its documents, patches and draft edits. Patches
// and edits of text and list fields change the value the replica shows (`doc`) in one span,
// as an editor would: the database diffs it into a splice.

/**
 * `cards`: counters (`votes`, `stats.views`), sets (`tags`, `meta.labels`), text (`body`,
 * `meta.draft`), a list (`items`) and registers.
 */
export function cardFields(rng: Prng): PlainObject {
  const out: PlainObject = { title: rng.pick(STRINGS), status: rng.pick(STATUSES) };
  if (rng.chance(0.7)) out.votes = rng.between(-2, 5);
  if (rng.chance(0.7)) out.tags = tags(rng);
  if (rng.chance(0.6)) out.body = textValue(rng);
  if (rng.chance(0.5)) out.items = listValue(rng);
  if (rng.chance(0.5)) out.meta = { color: rng.pick(TAGS), labels: tags(rng) };
  if (rng.chance(0.2)) out.meta = { draft: textValue(rng) };
  if (rng.chance(0.3)) out.stats = { views: rng.between(0, 9) };
  if (rng.chance(0.3)) out.note = anyValue(rng);
  return out;
}

export function cardPatch(rng: Prng, doc: Doc | undefined): PlainObject {
  const patch: PlainObject = {};
  const n = 1 + rng.int(2);
  for (let i = 0; i < n; i++) {
    const r = rng.int(14);
    if (r === 0) patch.status = rng.pick(STATUSES);
    else if (r === 1) patch.title = rng.pick(STRINGS);
    else if (r === 2) patch.votes = rng.chance(0.1) ? undefined : rng.between(-3, 8);
    else if (r === 3) patch.tags = rng.chance(0.1) ? undefined : tags(rng);
    else if (r === 4) patch.meta = { color: rng.pick(TAGS) };
    else if (r === 5) patch.meta = { labels: tags(rng) };
    else if (r === 6) patch.stats = { views: rng.between(0, 12) };
    else if (r === 7) patch.note = rng.chance(0.3) ? undefined : anyValue(rng);
    // `{}` is a register: written over an object holding a counter or a set, concurrently with
    // writes to them, the newest write wins.
    else if (r === 8) patch.meta = rng.chance(0.5) ? undefined : {};
    else if (r === 9) patch.stats = rng.chance(0.5) ? undefined : {};
    else if (r <= 11) patch.body = rng.chance(0.05) ? undefined : editedText(rng, doc?.body);
    else if (r === 12) patch.items = rng.chance(0.05) ? undefined : editedList(rng, doc?.items);
    else patch.meta = { draft: editedText(rng, draftOf(doc)) };
  }
  return patch;
}

function draftOf(doc: Doc | undefined): Value | undefined {
  const meta = doc?.meta;
  return meta && typeof meta === 'object' && !Array.isArray(meta) && !(meta instanceof Uint8Array)
    ? meta.draft
    : undefined;
}

export function cardEdits(rng: Prng, doc: Doc | undefined): SimEdit[] {
  return Array.from({ length: 1 + rng.int(3) }, (): SimEdit => {
    switch (rng.int(14)) {
      case 0:
      case 1:
        // Now and then a counter change that is not an integer: the write must be refused.
        return {
          op: 'increment',
          path: ['votes'],
          by: rng.chance(0.03) ? 0.5 : rng.between(-3, 3),
        };
      case 2:
        return { op: 'increment', path: ['stats', 'views'], by: rng.between(-1, 4) };
      case 3:
        return { op: 'push', path: ['tags'], value: rng.pick(TAGS) };
      case 4:
        return { op: 'pull', path: ['tags'], value: rng.pick(TAGS) };
      case 5:
        return { op: 'push', path: ['meta', 'labels'], value: rng.pick(TAGS) };
      case 6:
        return { op: 'pull', path: ['meta', 'labels'], value: rng.pick(TAGS) };
      case 7:
        return { op: 'set', path: ['meta', 'color'], value: rng.pick(TAGS) };
      case 8:
        return { op: 'set', path: ['status'], value: rng.pick(STATUSES) };
      case 9:
        return rng.chance(0.5)
          ? { op: 'unset', path: [rng.pick(['note', 'votes', 'tags', 'meta', 'stats', 'body'])] }
          : { op: 'set', path: ['note'], value: anyValue(rng) };
      case 10:
        return { op: 'set', path: ['body'], value: editedText(rng, doc?.body) };
      case 11:
        return { op: 'set', path: ['items'], value: editedList(rng, doc?.items) };
      case 12:
        return { op: 'set', path: ['meta', 'draft'], value: editedText(rng, draftOf(doc)) };
      default:
        // Now and then a set field given a non-array: refused.
        return rng.chance(0.1)
          ? { op: 'set', path: ['tags'], value: 'oops' }
          : { op: 'set', path: ['tags'], value: tags(rng) };
    }
  });
}
