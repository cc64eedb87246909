// What tools show about a space and its documents: `weft status` and `weft inspect` print it,
// the server's inspector serves it as JSON. One computation for both.
import { type ConflictValue, readConflicts } from '../document/read.js';
import type { Space } from './space.js';

/** A space at a glance: what `weft status` prints per space. */
export interface SpaceSummary {
  readonly name: string;
  readonly collections: readonly { readonly name: string; readonly documents: number }[];
  readonly documents: number;
  readonly changes: number;
  readonly runs: number;
  /** Runs received whose deps have not arrived yet. */
  readonly pending: number;
  /** Bytes in storage: the log and the snapshot. */
  readonly storage: { readonly log: number; readonly snapshot: number };
  readonly heads: number;
}

export async function spaceSummary(space: Space): Promise<SpaceSummary> {
  const collections = space
    .collectionNames()
    .map((name) => ({ name, documents: space.collection(name).count() }));
  const { changes, runs, pending } = space.stats();
  return {
    name: space.name,
    collections,
    documents: collections.reduce((sum, c) => sum + c.documents, 0),
    changes,
    runs,
    pending,
    storage: await space.storageSize(),
    heads: space.heads().length,
  };
}

/**
 * Every field of a document (dot paths into nested objects) that holds concurrent values,
 * each list newest first. A document still packed (made by one insert, untouched since) has
 * none, and is not expanded to find out.
 */
export function documentConflicts(
  space: Space,
  collection: string,
  id: string,
): Record<string, ConflictValue[]> {
  const out: Record<string, ConflictValue[]> = {};
  const node = space.node(collection, id);
  const doc = space.collection(collection).get(id);
  if (!node || node.packed || !doc) return out;
  const actors = space.actorNames();
  // Paths as arrays: a key may itself contain a dot.
  const visit = (value: Record<string, unknown>, path: readonly string[]) => {
    for (const [key, field] of Object.entries(value)) {
      if (path.length === 0 && key === 'id') continue;
      const at = [...path, key];
      const values = readConflicts(node, at, actors);
      if (values.length > 1) out[at.join('.')] = values;
      if (isPlainObject(field)) visit(field, at);
    }
  };
  visit(doc, []);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
