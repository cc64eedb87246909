import { encodeValue, InvalidValueError, type Value } from '@weft/core';

/** A document as the CLI reads it from JSON. */
export type JsonDoc = Record<string, unknown>;

/**
 * What is wrong with a document from outside, or undefined if Weft can store it: it must be a
 * JSON object, its id (if any) a non-empty string, and it must encode as a Weft value. The last
 * check also keeps nesting within the 64 levels Weft's decoders read back (the core accepts
 * deeper objects on write, but a database holding one can no longer be opened).
 */
export function documentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return `expected a JSON object (a document), got ${got}`;
  }
  const id = (value as JsonDoc).id;
  if (id !== undefined && (typeof id !== 'string' || id === '')) {
    return `"id" must be a non-empty string, got ${JSON.stringify(id)}`;
  }
  try {
    encodeValue(value as Value);
  } catch (error) {
    if (error instanceof InvalidValueError) return error.message;
    throw error;
  }
  return undefined;
}

/** The document with `id` as its first field, as people expect to read it. */
export function idFirst<T extends object>(doc: T): T {
  if (!('id' in doc)) return doc;
  const { id, ...rest } = doc as T & { id: unknown };
  return { id, ...rest } as T;
}
