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

export function randomValue(rng: Prng, depth = 0): Value {
  const r = rng.next();
  if (depth > 1 || r < 0.8) return rng.pick(SCALARS);
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

export function randomSpec(rng: Prng): QuerySpec {
  const spec: { -readonly [K in keyof QuerySpec]: QuerySpec[K] } = {};
  if (rng.chance(0.85)) spec.where = randomWhere(rng);
  const orderBy = randomOrderBy(rng);
  if (orderBy !== undefined) spec.orderBy = orderBy;
  if (rng.chance(0.5)) spec.limit = 1 + rng.int(8);
  if (rng.chance(0.25)) spec.offset = rng.int(5);
  return spec;
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
