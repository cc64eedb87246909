// Cursors: the sort key of a page's last row, with the ordering it belongs to, as an opaque
// url-safe string (base64url of the canonical Value encoding of
// `[version, [[field, desc], …], [[value] or [] for missing, …]]`).
import { decodeValue, encodeValue, type Value } from '../encoding/value.js';
import { DecodeError, QueryError } from '../errors.js';
import type { OrderKey, SortValue } from './ast.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { describe } from './doc.js';
import { deepFreeze } from './frozen-value.js';

const CURSOR_VERSION = 1;

export function encodeCursor(order: readonly OrderKey[], key: readonly SortValue[]): string {
  const value: Value = [
    CURSOR_VERSION,
    order.map((term) => [term.field, term.desc]),
    key.map((v) => (v === undefined ? [] : [v])),
  ];
  return toBase64url(encodeValue(value));
}

/**
 * The sort key in `cursor`. Throws a QueryError when the cursor is malformed or was made for
 * a different ordering.
 */
export function decodeCursor(cursor: unknown, order: readonly OrderKey[]): readonly SortValue[] {
  if (typeof cursor !== 'string') {
    throw new QueryError(
      `after must be a string (the nextCursor of a previous page), got ${describe(cursor)}`,
    );
  }
  const [cursorOrder, key] = parse(cursor);
  const expected = order.map(orderName).join(', ');
  const found = cursorOrder.map(orderName).join(', ');
  if (found !== expected) {
    throw new QueryError(
      `after: this cursor continues a query ordered by [${found}], but this query is ordered ` +
        `by [${expected}]; pass a cursor only to the query that produced it`,
    );
  }
  return Object.freeze(key.map((v) => deepFreeze(v)));
}

function orderName(term: { field: string; desc: boolean }): string {
  return term.desc ? `${term.field} desc` : term.field;
}

function parse(cursor: string): [{ field: string; desc: boolean }[], SortValue[]] {
  const malformed = () =>
    new QueryError('after is not a valid cursor; pass the nextCursor of a previous page unchanged');
  const bytes = fromBase64url(cursor);
  if (bytes === undefined) throw malformed();
  let value: Value;
  try {
    value = decodeValue(bytes);
  } catch (error) {
    if (error instanceof DecodeError) throw malformed();
    throw error;
  }
  if (!Array.isArray(value) || value.length !== 3 || value[0] !== CURSOR_VERSION) throw malformed();
  const [, terms, key] = value;
  if (!Array.isArray(terms) || !Array.isArray(key) || terms.length !== key.length) {
    throw malformed();
  }
  const order = terms.map((term) => {
    if (!Array.isArray(term) || typeof term[0] !== 'string' || typeof term[1] !== 'boolean') {
      throw malformed();
    }
    return { field: term[0], desc: term[1] };
  });
  const values = key.map((slot): SortValue => {
    if (!Array.isArray(slot) || slot.length > 1) throw malformed();
    return slot[0];
  });
  return [order, values];
}
