// Random docs, queries and index specs from a small world, so that equalities and ranges
// often hit: few fields, few values, nesting, missing fields, mixed types, arrays.
import type { Value } from '../../src/index.js';
import type { Doc, OrderTerm, QuerySpec, Where } from '../../src/query/index.js';
import type { Prng } from '../helpers/prng.js';

export const FIELDS = ['a', 'b', 'c', 'n.x', 'n.y', 'tags', 'id'];

const SCALARS: Value[] = [
  null,
  true,
  false,
  0,
  1,
  2,
  -1,
  1.5,
  -0,
  Number.NaN,
  'a',
  'ab',
  'abc',
  'b',
  '',
  'B',
  'd3',
  new Uint8Array([1]),
  new Uint8Array([]),
];

/** Values for a third of the cases: few enough that ties (and id tie-breaks) are common. */
const TINY: Value[] = [null, 0, 1, 'a'];
let scalars = SCALARS;

/** Picks this case's value domain; call first in each case (it is part of the seed's replay). */
export function chooseDomain(rng: Prng, tiny = rng.chance(0.35)): void {
  scalars = tiny ? TINY : SCALARS;
}

export function randomValue(rng: Prng, depth = 0): Value {
  const r = rng.next();
  if (depth > 1 || r < 0.8) return rng.pick(scalars);
  if (r < 0.9) return Array.from({ length: rng.int(3) }, () => randomValue(rng, depth + 1));
  const out: { [k: string]: Value } = {};
  for (const k of ['x', 'y']) if (rng.chance(0.5)) out[k] = randomValue(rng, depth + 1);
  return out;
}

export function randomDoc(rng: Prng, id: string): Doc {
  const doc: { [k: string]: Value } = { id };
  for (const field of ['a', 'b', 'c']) if (rng.chance(0.75)) doc[field] = randomValue(rng);
  if (rng.chance(0.75)) {
    if (rng.chance(0.8)) {
      const n: { [k: string]: Value } = {};
      for (const k of ['x', 'y', 'z']) if (rng.chance(0.7)) n[k] = randomValue(rng);
      doc.n = n;
    } else doc.n = randomValue(rng);
  }
  if (rng.chance(0.7)) {
    doc.tags = rng.chance(0.9)
      ? Array.from({ length: rng.int(4) }, () => rng.pick(['a', 'b', 1, null, [1]]))
      : randomValue(rng);
  }
  return doc;
}

export function randomId(rng: Prng): string {
  return `d${rng.int(40)}`;
}

function operand(rng: Prng, op: string, field: string): unknown {
  if (op === 'in') return Array.from({ length: rng.int(4) }, () => fieldValue(rng, field));
  if (op === 'startsWith') return rng.pick(['', 'a', 'ab', 'b', 'd', 'd1']);
  if (op === 'exists') return rng.chance(0.5);
  return fieldValue(rng, field);
}

function fieldValue(rng: Prng, field: string): Value {
  return field === 'id' && rng.chance(0.7) ? randomId(rng) : randomValue(rng);
}

const OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'startsWith', 'exists'];
const RANGE_OPS = ['eq', 'eq', 'lt', 'lte', 'gt', 'gte', 'startsWith'];

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function randomWhere(rng: Prng, depth = 0): Where {
  const where: { [k: string]: unknown } = {};
  const keys = 1 + rng.int(3);
  for (let i = 0; i < keys; i++) {
    const r = rng.next();
    if (depth < 2 && r < 0.08) where.$and = randomList(rng, depth);
    else if (depth < 2 && r < 0.16) where.$or = randomList(rng, depth);
    else if (depth < 2 && r < 0.2) where.$not = randomWhere(rng, depth + 1);
    else {
      const field = rng.pick(FIELDS);
      if (rng.chance(0.35)) {
        const v = fieldValue(rng, field);
        where[field] = isPlainObject(v) ? { eq: v } : v;
      } else {
        const condition: { [op: string]: unknown } = {};
        const ops = rng.chance(0.6) ? RANGE_OPS : OPS;
        for (let k = 1 + rng.int(2); k > 0; k--) {
          const op = rng.pick(ops);
          condition[op] = operand(rng, op, field);
        }
        where[field] = condition;
      }
    }
  }
  return where as Where;
}

function randomList(rng: Prng, depth: number): Where[] {
  return Array.from({ length: rng.int(4) }, () => randomWhere(rng, depth + 1));
}

export function randomOrderBy(rng: Prng): QuerySpec['orderBy'] {
  const terms = Array.from({ length: rng.int(4) }, (): string | OrderTerm => {
    const field = rng.pick(FIELDS);
    const desc = rng.chance(0.4);
    if (rng.chance(0.5)) return desc ? `-${field}` : field;
    return desc
      ? { field, direction: 'desc' }
      : rng.chance(0.5)
        ? { field }
        : { field, direction: 'asc' };
  });
  if (terms.length === 1 && rng.chance(0.5)) return terms[0];
  return terms.length === 0 && rng.chance(0.5) ? undefined : terms;
}

export function randomSpec(
  rng: Prng,
  indexSpecs: readonly (readonly string[])[] = [],
  docs: readonly Doc[] = [],
): QuerySpec {
  const spec: { -readonly [K in keyof QuerySpec]: QuerySpec[K] } = {};
  if (indexSpecs.length > 0 && rng.chance(0.5)) {
    Object.assign(spec, aimedAt(rng, rng.pick(indexSpecs), docs));
  } else {
    if (rng.chance(0.85)) spec.where = randomWhere(rng);
    const orderBy = randomOrderBy(rng);
    if (orderBy !== undefined) spec.orderBy = orderBy;
  }
  if (rng.chance(0.5)) spec.limit = 1 + rng.int(8);
  if (rng.chance(0.25)) spec.offset = rng.int(5);
  return spec;
}

/**
 * A where and orderBy shaped for one index: equality on a prefix (values taken from live
 * docs, so they hit), maybe a range on the next field, maybe equality on a later field, and
 * an order over some of its fields.
 */
function aimedAt(rng: Prng, fields: readonly string[], docs: readonly Doc[]): QuerySpec {
  // Values mostly from one live doc, so that the equalities hold together for some docs.
  const anchor = docs.length > 0 ? rng.pick(docs) : undefined;
  const sample = (field: string): Value => {
    const doc = anchor !== undefined && rng.chance(0.85) ? anchor : undefined;
    const found = doc === undefined ? undefined : resolveValue(doc, field);
    return found === undefined ? fieldValue(rng, field) : found;
  };
  const where: { [k: string]: unknown } = {};
  const prefix = rng.int(fields.length + 1);
  for (const field of fields.slice(0, prefix)) where[field] = { eq: sample(field) };
  const next = fields[prefix];
  if (next !== undefined && rng.chance(0.5)) {
    const condition: { [op: string]: unknown } = {};
    for (let k = 1 + rng.int(2); k > 0; k--) {
      const op = rng.pick(['lt', 'lte', 'gt', 'gte', 'startsWith']);
      condition[op] = op === 'startsWith' ? rng.pick(['', 'a', 'ab', 'd1']) : sample(next);
    }
    where[next] = condition;
  }
  const later = fields.slice(prefix + 1);
  if (later.length > 0 && rng.chance(0.3)) {
    const field = rng.pick(later);
    where[field] = { eq: sample(field) };
  }
  const spec: { -readonly [K in keyof QuerySpec]: QuerySpec[K] } = {};
  if (rng.chance(0.3)) spec.where = { ...where, ...randomWhere(rng, 1) } as Where;
  else spec.where = where as Where;
  // Mostly the fields after the prefix, some dropped, sometimes led by prefix fields.
  const desc = rng.chance(0.5);
  const lead = fields.slice(0, prefix).filter(() => rng.chance(0.3));
  const terms = [...lead, ...fields.slice(prefix).filter(() => rng.chance(0.7))];
  spec.orderBy = terms.map((f) => ((rng.chance(0.9) ? desc : !desc) ? `-${f}` : f));
  return spec;
}

function resolveValue(doc: Doc, field: string): Value | undefined {
  let current: Value | undefined = doc as Value;
  for (const key of field.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = (current as { [k: string]: Value })[key];
  }
  return current;
}

export function randomIndexSpecs(rng: Prng): string[][] {
  const specs = new Map<string, string[]>();
  for (let n = rng.int(5); n > 0; n--) {
    const fields = rng.shuffle([...FIELDS]).slice(0, 1 + rng.int(3));
    specs.set(fields.join('+'), fields);
  }
  return [...specs.values()];
}

/** A readable dump of test inputs (bytes, NaN and -0 included) for failure messages. */
export function show(x: unknown): string {
  return JSON.stringify(x, (_, v) => {
    if (v instanceof Uint8Array) return `bytes(${[...v].join(',')})`;
    if (typeof v === 'number' && (Number.isNaN(v) || Object.is(v, -0))) return String(v);
    return v;
  });
}
