import type { Database, Space } from '@weft/core';
import { ApiError } from './reply.js';
import type { InspectSource, SpaceCheck } from './source.js';

/** One API request: where it reads from, what it may see, and its query parameters. */
export interface ApiRequest {
  readonly source: InspectSource;
  readonly db: Database;
  readonly canRead: SpaceCheck;
  readonly params: URLSearchParams;
}

/** An existing space the request may read (never creates one). */
export async function openSpace(r: ApiRequest, name: string): Promise<Space> {
  if (!(await r.canRead(name)))
    throw new ApiError(403, 'forbidden', `not allowed to read space "${name}"`);
  if (!(await r.db.hasSpace(name)))
    throw new ApiError(404, 'not-found', `space "${name}" does not exist`);
  return r.db.space(name);
}

/** The names of the spaces the request may read, sorted. */
export async function readableSpaces(r: ApiRequest): Promise<string[]> {
  const names = await r.db.spaceNames();
  const allowed = await Promise.all(names.map((name) => r.canRead(name)));
  return names.filter((_, i) => allowed[i]);
}

/** A whole-number query parameter within [min, max], or `fallback` when absent. */
export function intParam(
  r: ApiRequest,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const text = r.params.get(name);
  if (text === null || text === '') return range.fallback;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ApiError(
      400,
      'bad-request',
      `?${name}= takes a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}
