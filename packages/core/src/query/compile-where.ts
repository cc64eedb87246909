// Where → Filter: validates a user's where clause and builds the frozen filter tree. Every
// error names the offending place ("where.$or[1].age") and says what to write instead.
import { QueryError } from '../errors.js';
import type { CompareOp, Filter } from './ast.js';
import { describe, parseFieldPath } from './doc.js';
import { frozenValue } from './frozen-value.js';
import { OPERATORS, type Operator } from './spec.js';

/** Compiles a where clause; undefined (or `{}`) becomes undefined: every doc matches. */
export function compileWhere(where: unknown): Filter | undefined {
  if (where === undefined) return undefined;
  const conjuncts = compileObject(where, 'where');
  return conjuncts.length === 0 ? undefined : conjunction(conjuncts);
}

/** A single filter for a list of ANDed filters. */
export function conjunction(filters: readonly Filter[]): Filter {
  return filters.length === 1 ? filters[0]! : Object.freeze({ kind: 'and', filters });
}

function compileObject(where: unknown, at: string): Filter[] {
  if (!isPlainObject(where)) {
    throw new QueryError(`${at} must be an object like { status: 'open' }, got ${describe(where)}`);
  }
  const out: Filter[] = [];
  for (const key of Object.keys(where)) {
    const value = where[key];
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) {
        throw new QueryError(
          `${at}.${key} must be an array of where objects, got ${describe(value)}`,
        );
      }
      const filters = Object.freeze(
        value.map((w: unknown, i) => conjunction(compileObject(w, `${at}.${key}[${i}]`))),
      );
      out.push(Object.freeze({ kind: key === '$and' ? 'and' : 'or', filters }));
    } else if (key === '$not') {
      const filter = conjunction(compileObject(value, `${at}.$not`));
      out.push(Object.freeze({ kind: 'not', filter }));
    } else if (key.startsWith('$')) {
      throw new QueryError(`${at}: unknown logical operator "${key}"; use $and, $or or $not`);
    } else {
      out.push(...compileField(key, value, `${at}.${key}`));
    }
  }
  return out;
}

function compileField(field: string, value: unknown, at: string): Filter[] {
  const path = parseFieldPath(field, at);
  if (value === undefined) {
    throw new QueryError(
      `${at} is undefined; to match docs without the field use { exists: false }`,
    );
  }
  if (!isPlainObject(value)) {
    return [
      Object.freeze({ kind: 'compare', op: 'eq', field, path, value: frozenValue(value, at) }),
    ];
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    throw new QueryError(
      `${at}: an empty condition matches nothing in particular; to match an empty object use { eq: {} }`,
    );
  }
  const strangers = keys.filter((k) => !(OPERATORS as readonly string[]).includes(k));
  if (strangers.length > 0) throw notACondition(field, keys, strangers, at);
  return keys.map((op) => compileOperator(op as Operator, value[op], field, path, at));
}

function compileOperator(
  op: Operator,
  x: unknown,
  field: string,
  path: readonly string[],
  at: string,
): Filter {
  const where = `${at}.${op}`;
  switch (op) {
    case 'in': {
      if (!Array.isArray(x)) {
        throw new QueryError(`${where} must be an array of values, got ${describe(x)}`);
      }
      const values = Object.freeze(x.map((v: unknown, i) => frozenValue(v, `${where}[${i}]`)));
      return Object.freeze({ kind: 'in', field, path, values });
    }
    case 'contains':
      return Object.freeze({ kind: 'contains', field, path, value: frozenValue(x, where) });
    case 'startsWith':
      if (typeof x !== 'string') {
        throw new QueryError(`${where} must be a string, got ${describe(x)}`);
      }
      return Object.freeze({ kind: 'startsWith', field, path, prefix: x });
    case 'exists':
      if (typeof x !== 'boolean') {
        throw new QueryError(`${where} must be true or false, got ${describe(x)}`);
      }
      return Object.freeze({ kind: 'exists', field, path, exists: x });
    default: {
      if (x === undefined) {
        throw new QueryError(`${where} is undefined; give a value or leave the operator out`);
      }
      const value = frozenValue(x, where);
      return Object.freeze({ kind: 'compare', op: op satisfies CompareOp, field, path, value });
    }
  }
}

function notACondition(field: string, keys: string[], strangers: string[], at: string): QueryError {
  const shown = keys.slice(0, 3).join(', ') + (keys.length > 3 ? ', …' : '');
  const typos = strangers
    .map((k) => [k, closestOperator(k)] as const)
    .filter((pair): pair is readonly [string, Operator] => pair[1] !== undefined);
  const typo = typos[0];
  const hint = typo ? ` ("${typo[0]}" is not an operator; did you mean "${typo[1]}"?)` : '';
  return new QueryError(
    `${at}: { ${shown} } is not a condition (the keys of a condition must all be operators: ` +
      `${OPERATORS.join(', ')}). To match a nested field use a dot path, like ` +
      `{ "${field}.${strangers[0]}": … }; to match the whole object use ` +
      `{ ${field}: { eq: { … } } }.${hint}`,
  );
}

/** The operator `key` is most likely a typo of (case or up to two edits), if any. */
function closestOperator(key: string): Operator | undefined {
  let best: Operator | undefined;
  let bestDistance = 3;
  for (const op of OPERATORS) {
    const d = op.toLowerCase() === key.toLowerCase() ? 0 : editDistance(op, key);
    if (d < bestDistance && d < op.length) [best, bestDistance] = [op, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, substitution));
    }
    row = next;
  }
  return row[b.length]!;
}

export function isPlainObject(x: unknown): x is { readonly [key: string]: unknown } {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
