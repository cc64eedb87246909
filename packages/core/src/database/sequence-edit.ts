import { type DocNode, docExists, fieldAt } from '../document/node.js';
import type { DocOp } from '../document/ops.js';
import type { ActorNames } from '../document/read.js';
import { visibleSequence } from '../document/read.js';
import { type SequenceKind, spliceOps } from '../document/sequence-ops.js';
import type { Value } from '../encoding/value.js';
import { InvalidValueError, NotFoundError } from '../errors.js';
import type { Anchor } from '../text/ops.js';
import type { CollectionHost } from './collection-host.js';

/** A text or list field's path as field names: `'body'`, `'meta.notes'`. */
export function fieldPath(path: string): readonly string[] {
  let segments = knownPaths.get(path);
  if (segments) return segments;
  segments = path.split('.');
  if (segments.some((s) => s.length === 0))
    throw new InvalidValueError(`"${path}" is not a field path (dot-separated field names)`);
  if (knownPaths.size >= 1024) knownPaths.clear();
  knownPaths.set(path, Object.freeze(segments));
  return segments;
}

/** Paths split before: an editor splices one field many times a second. */
const knownPaths = new Map<string, readonly string[]>();

/**
 * Splices a text or list field of one document, in the current transaction or one of its own.
 * The edit is planned on the sequence readers see, encoded, then applied.
 */
export function spliceSequence(
  host: CollectionHost,
  kind: SequenceKind,
  collection: string,
  id: string,
  path: string,
  index: number,
  deleteCount: number,
  insert: string | readonly Value[],
): Promise<void> {
  if (kind === 'text' && !host.transaction) {
    // Typing: most keystrokes go on from the one before (see InPlaceWriter.spliceText). No
    // closure in this function: its context would be allocated on every call.
    const done = host.spliceTextInPlace(collection, id, path, index, deleteCount, insert as string);
    if (done) return done;
  }
  const segments = fieldPath(path);
  return planSplice(host, kind, collection, id, segments, index, deleteCount, insert);
}

function planSplice(
  host: CollectionHost,
  kind: SequenceKind,
  collection: string,
  id: string,
  segments: readonly string[],
  index: number,
  deleteCount: number,
  insert: string | readonly Value[],
): Promise<void> {
  const names = host.actorNames();
  const plan = (node: DocNode | undefined): DocOp | undefined => {
    if (!node || !docExists(node))
      throw new NotFoundError(`${collection}/${id} does not exist; insert() it first`);
    const field = node.packed ? undefined : fieldAt(node.root, segments);
    const writer = names(host.localActor);
    return spliceOps(
      kind,
      collection,
      id,
      segments,
      field,
      index,
      deleteCount,
      insert,
      writer,
      names,
    );
  };
  // Outside a transaction an edit is applied in place: no copy of the document (or its text).
  if (!host.transaction) return host.writeInPlace(collection, id, plan);
  return host.write((tx) => {
    const op = plan(tx.node(collection, id));
    if (op) tx.record(collection, id, [op]);
  }).durable;
}

/** A stable position in a text or list field (see `Anchor`). */
export function anchorIn(
  host: CollectionHost,
  collection: string,
  id: string,
  path: string,
  pos: number,
  stick: 'left' | 'right',
): Anchor {
  return sequenceOf(host, collection, id, path).cursorAt(pos, stick);
}

/** Where an anchor is now in a text or list field. */
export function positionIn(
  host: CollectionHost,
  collection: string,
  id: string,
  path: string,
  anchor: Anchor,
): number {
  return sequenceOf(host, collection, id, path).positionOf(anchor);
}

function sequenceOf(host: CollectionHost, collection: string, id: string, path: string) {
  const node = host.node(collection, id);
  const segments = fieldPath(path);
  // A deleted document keeps the fields written concurrently with its delete: not readable.
  const shown = node && docExists(node) && !node.packed;
  const field = shown ? fieldAt(node.root, segments) : undefined;
  const entry = field && visibleSequence(field, host.actorNames() as ActorNames);
  if (!entry) {
    throw new InvalidValueError(
      `${collection}/${id} has no text or list field "${path}" (declare it with ` +
        `fields: { '${path}': 'text' } and write it first)`,
    );
  }
  return entry.crdt;
}
