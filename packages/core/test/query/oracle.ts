// The reference semantics, written from the spec without the engine's code: interpret the raw
// QuerySpec over every doc (full scan + filter + sort + cursor + offset/limit).
import { compareValues, type QuerySpec, type Value, valueEquals } from '../../src/index.js';
import type { Doc, OrderTerm, Where } from '../../src/query/index.js';

type Field = { present: false } | { present: true; value: Value };

export function resolve(doc: Doc, field: string): Field {
  let current: Value = doc as Value;
  for (const key of field.split('.')) {
    if (
      typeof current !== 'object' ||
      current === null ||
      Array.isArray(current) ||
      current instanceof Uint8Array ||
      !Object.hasOwn(current, key)
    ) {
      return { present: false };
    }
    current = current[key]!;
  }
  return { present: true, value: current };
}

function typeName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'startsWith', 'exists'];

function isCondition(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || x instanceof Uint8Array) {
    return false;
  }
  return Object.keys(x).every((k) => OPS.includes(k));
}

function holds(op: string, operand: unknown, f: Field): boolean {
  switch (op) {
    case 'eq':
      return f.present && valueEquals(f.value, operand as Value);
    case 'ne':
      return !f.present || !valueEquals(f.value, operand as Value);
    case 'in':
      return f.present && (operand as Value[]).some((x) => valueEquals(f.value, x));
    case 'contains':
      return (
        f.present && Array.isArray(f.value) && f.value.some((x) => valueEquals(x, operand as Value))
      );
    case 'startsWith':
      return f.present && typeof f.value === 'string' && f.value.startsWith(operand as string);
    case 'exists':
      return f.present === operand;
    default: {
      if (!f.present || typeName(f.value) !== typeName(operand as Value)) return false;
      const c = compareValues(f.value, operand as Value);
      return op === 'lt' ? c < 0 : op === 'lte' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
    }
  }
}

export function oracleMatches(where: Where | undefined, doc: Doc): boolean {
  if (where === undefined) return true;
  return Object.entries(where).every(([key, x]) => {
    if (key === '$and') return (x as Where[]).every((w) => oracleMatches(w, doc));
    if (key === '$or') return (x as Where[]).some((w) => oracleMatches(w, doc));
    if (key === '$not') return !oracleMatches(x as Where, doc);
    const f = resolve(doc, key);
    if (isCondition(x)) return Object.entries(x).every(([op, operand]) => holds(op, operand, f));
    return holds('eq', x, f);
  });
}

/** The comparator of the spec's order: terms (missing first), then id in the last direction. */
export function oracleComparator(spec: QuerySpec): (a: Doc, b: Doc) => number {
  const raw =
    spec.orderBy === undefined ? [] : Array.isArray(spec.orderBy) ? spec.orderBy : [spec.orderBy];
  const terms = (raw as (string | OrderTerm)[]).map((t) =>
    typeof t === 'string'
      ? { field: t.replace(/^-/, ''), desc: t.startsWith('-') }
      : { field: t.field, desc: t.direction === 'desc' },
  );
  // Ids are unique, so nothing after an id term matters (and a cursor row edited between
  // pages must not come back because of a later term).
  const idTerm = terms.findIndex((t) => t.field === 'id');
  if (idTerm >= 0) terms.splice(idTerm + 1);
  else terms.push({ field: 'id', desc: terms.at(-1)?.desc ?? false });
  return (a, b) => {
    for (const { field, desc } of terms) {
      const fa = resolve(a, field);
      const fb = resolve(b, field);
      let c: number;
      if (!fa.present || !fb.present) c = Number(fa.present) - Number(fb.present);
      else c = Math.sign(compareValues(fa.value, fb.value));
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
}

/** The expected rows of `spec`; `after` is the previous page's last row (a doc), if any. */
export function oracleQuery(
  docs: Iterable<Doc>,
  spec: QuerySpec,
  after?: Doc,
): { rows: Doc[]; more: boolean } {
  const compare = oracleComparator(spec);
  const all = [...docs]
    .filter((d) => oracleMatches(spec.where, d))
    .filter((d) => after === undefined || compare(d, after) > 0)
    .sort(compare);
  const offset = spec.offset ?? 0;
  const end = spec.limit === undefined ? all.length : offset + spec.limit;
  return { rows: all.slice(offset, end), more: all.length > end };
}

export function oracleCount(docs: Iterable<Doc>, spec: QuerySpec): number {
  return [...docs].filter((d) => oracleMatches(spec.where, d)).length;
}
