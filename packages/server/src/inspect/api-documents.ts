import {
  compileQuery,
  type Doc,
  documentConflicts,
  type Filter,
  matches,
  QueryError,
  type Space,
  type Where,
} from '@weft/core';
import { ApiError, toJson } from './reply.js';
import { type ApiRequest, intParam, openSpace } from './request.js';

const PREVIEW_CHARS = 240;

/**
 * One page of a collection's documents, by id: `?limit=` (at most 500), `?after=<id>` (the
 * `nextCursor` of the page before), `?where=<JSON>` (a query filter), `?q=<text>` (documents
 * whose id or JSON contains the text, ignoring case). Each document comes as a preview; the
 * page never holds more than `limit`, however large the collection.
 */
export async function documentsJson(r: ApiRequest, spaceName: string, name: string) {
  const space = await openSpace(r, spaceName);
  requireCollection(space, name);
  const limit = intParam(r, 'limit', { min: 1, max: 500, fallback: 50 });
  const after = r.params.get('after') ?? '';
  const q = (r.params.get('q') ?? '').toLowerCase();
  const filter = parseWhere(r.params.get('where'));
  let total = 0;
  const page = new SmallestIds(limit + 1);
  // One pass, no sort: a query would sort every match by id to cut one page.
  for (const doc of space.collection(name).scan()) {
    const id = doc.id;
    if (filter && !matches(filter, doc as Doc)) continue;
    if (q !== '' && !id.toLowerCase().includes(q) && !toJson(doc).toLowerCase().includes(q))
      continue;
    total += 1;
    if (id > after) page.offer(id, doc);
  }
  const rows = page.sorted();
  const more = rows.length > limit;
  const docs = rows.slice(0, limit).map(([id, doc]) => {
    const { id: _, ...fields } = doc as Record<string, unknown>;
    const json = toJson(fields);
    return {
      id,
      preview: json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}…` : json,
      chars: json.length,
    };
  });
  return {
    space: spaceName,
    collection: name,
    total,
    limit,
    docs,
    nextCursor: more ? docs.at(-1)!.id : null,
  };
}

/** A document as it reads now and its concurrent values (as `weft inspect` shows them). */
export async function documentJson(r: ApiRequest, spaceName: string, name: string, id: string) {
  const space = await openSpace(r, spaceName);
  requireCollection(space, name);
  const doc = space.collection(name).get(id);
  if (!doc && !space.node(name, id)) {
    throw new ApiError(404, 'not-found', `${spaceName}/${name}/${id} does not exist`);
  }
  return {
    space: spaceName,
    collection: name,
    id,
    deleted: doc === undefined,
    doc: doc ?? null,
    conflicts: documentConflicts(space, name, id),
  };
}

/** The changes that touched a document, oldest first (read from the stored log). */
export async function historyJson(r: ApiRequest, spaceName: string, name: string, id: string) {
  const space = await openSpace(r, spaceName);
  requireCollection(space, name);
  const history = await space.documentHistory(name, id);
  if (history.length === 0 && !space.node(name, id)) {
    throw new ApiError(404, 'not-found', `${spaceName}/${name}/${id} does not exist`);
  }
  return { space: spaceName, collection: name, id, history };
}

function requireCollection(space: Space, name: string): void {
  if (!space.collectionNames().includes(name)) {
    throw new ApiError(404, 'not-found', `space "${space.name}" has no collection "${name}"`);
  }
}

/** The filter of `?where=`, checked as `find` checks it. */
function parseWhere(text: string | null): Filter | undefined {
  if (text === null || text.trim() === '') return undefined;
  let where: unknown;
  try {
    where = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'invalid-query', `?where= is not JSON: ${(error as Error).message}`);
  }
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    throw new ApiError(400, 'invalid-query', '?where= takes a JSON object like {"done":false}');
  }
  try {
    return compileQuery({ where: where as Where }).filter;
  } catch (error) {
    if (error instanceof QueryError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}

/**
 * The `size` smallest ids offered, kept sorted: one pass over a collection finds a page
 * without sorting all of it (most ids are larger than the largest kept, a single compare).
 */
class SmallestIds {
  private readonly rows: [string, unknown][] = [];

  constructor(private readonly size: number) {}

  offer(id: string, doc: unknown): void {
    const rows = this.rows;
    if (rows.length === this.size && id >= rows[rows.length - 1]![0]) return;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]![0] < id) lo = mid + 1;
      else hi = mid;
    }
    rows.splice(lo, 0, [id, doc]);
    if (rows.length > this.size) rows.pop();
  }

  sorted(): readonly [string, unknown][] {
    return this.rows;
  }
}
