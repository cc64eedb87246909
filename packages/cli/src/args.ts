import { compileQuery, type OrderTerm, QueryError, type QuerySpec, type Where } from '@weft/core';
import { UsageError } from './errors.js';

/** A space, a collection in it, or a document in that: what `<space>/<collection>/<id>` names. */
export interface Target {
  readonly space: string;
  readonly collection?: string;
  readonly id?: string;
}

export type TargetShape = 'space?collection' | 'collection' | 'document';

const SHAPES: Record<TargetShape, string> = {
  'space?collection': '<space> or <space>/<collection>',
  collection: '<space>/<collection>',
  document: '<space>/<collection>/<id>',
};

/** The placeholder a shape is written as in usage and error messages. */
export function shapeName(shape: TargetShape): string {
  return SHAPES[shape];
}

/**
 * Parses `<space>/<collection>[/<id>]`. Space and collection names cannot contain `/`; an id may
 * (everything after the second `/` is the id). Every part must be non-empty.
 */
export function parseTarget(raw: string, shape: TargetShape): Target {
  const fail = () => new UsageError(`expected ${SHAPES[shape]}, got ${JSON.stringify(raw)}`);
  const first = raw.indexOf('/');
  const second = first < 0 ? -1 : raw.indexOf('/', first + 1);
  const space = first < 0 ? raw : raw.slice(0, first);
  const collection = first < 0 ? undefined : raw.slice(first + 1, second < 0 ? undefined : second);
  const id = second < 0 ? undefined : raw.slice(second + 1);
  if (space === '' || collection === '' || id === '' || raw.includes('\u0000')) throw fail();
  switch (shape) {
    case 'space?collection':
      if (id !== undefined) throw fail();
      return collection === undefined ? { space } : { space, collection };
    case 'collection':
      if (collection === undefined || id !== undefined) throw fail();
      return { space, collection };
    case 'document':
      if (collection === undefined || id === undefined) throw fail();
      return { space, collection, id };
  }
}

/** Parses JSON typed on the command line; `what` names it in the error (`--where`, `<json>`). */
export function parseJsonArg(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON (${(error as Error).message})`);
  }
}

/** Parses a JSON object argument (a document, a where clause). */
export function parseJsonObjectArg(text: string, what: string): Record<string, unknown> {
  const value = parseJsonArg(text, what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${what} must be a JSON object like {"title":"milk"}, got ${text}`);
  }
  return value as Record<string, unknown>;
}

/** A whole number ≥ `min` given to `flag`. */
export function parseCount(text: string, flag: string, min: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} takes a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `--order title,-due` → orderBy terms: a leading `-` sorts that field descending. */
export function parseOrder(text: string): OrderTerm[] {
  const terms = text.split(',').map((t) => t.trim());
  if (terms.some((t) => t === '' || t === '-')) {
    throw new UsageError(
      `--order takes fields separated by commas, like title,-due; got "${text}"`,
    );
  }
  return terms.map((t) =>
    t.startsWith('-') ? { field: t.slice(1), direction: 'desc' } : { field: t },
  );
}

/** Builds a query and checks it up front, so a bad one is a usage error before anything opens. */
export function buildQuery(options: {
  where?: string | undefined;
  order?: string | undefined;
  limit?: string | undefined;
  offset?: string | undefined;
}): QuerySpec {
  const query: {
    where?: Where;
    orderBy?: OrderTerm[];
    limit?: number;
    offset?: number;
  } = {};
  if (options.where !== undefined)
    query.where = parseJsonObjectArg(options.where, '--where') as Where;
  if (options.order !== undefined) query.orderBy = parseOrder(options.order);
  if (options.limit !== undefined) query.limit = parseCount(options.limit, '--limit', 1);
  if (options.offset !== undefined) query.offset = parseCount(options.offset, '--offset', 0);
  try {
    compileQuery(query);
  } catch (error) {
    if (error instanceof QueryError) throw new UsageError(error.message, error.code);
    throw error;
  }
  return query;
}

/** Export/import formats. */
export type Format = 'json' | 'ndjson';

export function parseFormat(text: string | undefined): Format | undefined {
  if (text === undefined) return undefined;
  if (text === 'json' || text === 'ndjson') return text;
  throw new UsageError(`--format is json or ndjson, got ${JSON.stringify(text)}`);
}
