import { describe, expect, test } from 'vitest';
import { compileQuery, QueryError, type QuerySpec } from '../../src/index.js';

function error(spec: unknown): QueryError {
  try {
    compileQuery(spec as QuerySpec);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).code).toBe('invalid-query');
    return e as QueryError;
  }
  throw new Error('expected a QueryError');
}

describe('compileQuery', () => {
  test('builds a frozen AST', () => {
    const q = compileQuery({
      where: { status: 'open', 'owner.name': { startsWith: 'A' }, $or: [{ p: { gt: 3 } }] },
      orderBy: ['-p', { field: 'title' }],
      limit: 10,
      offset: 5,
    });
    expect(q).toEqual({
      kind: 'query',
      filter: {
        kind: 'and',
        filters: [
          { kind: 'compare', op: 'eq', field: 'status', path: ['status'], value: 'open' },
          { kind: 'startsWith', field: 'owner.name', path: ['owner', 'name'], prefix: 'A' },
          {
            kind: 'or',
            filters: [{ kind: 'compare', op: 'gt', field: 'p', path: ['p'], value: 3 }],
          },
        ],
      },
      order: [
        { field: 'p', path: ['p'], desc: true },
        { field: 'title', path: ['title'], desc: false },
        { field: 'id', path: ['id'], desc: false },
      ],
      limit: 10,
      offset: 5,
      after: undefined,
    });
    expect(Object.isFrozen(q)).toBe(true);
    expect(Object.isFrozen(q.filter)).toBe(true);
    expect(Object.isFrozen(q.order[0])).toBe(true);
  });

  test('copies constants, so freezing never touches the caller’s objects', () => {
    const value = { city: 'Oslo', tags: ['a'] };
    const q = compileQuery({ where: { address: { eq: value } } });
    expect(Object.isFrozen(value)).toBe(false);
    const node = q.filter as { value: unknown };
    expect(node.value).toEqual(value);
    expect(Object.isFrozen(node.value)).toBe(true);
  });

  test('the order always ends with id, in the direction of the last term', () => {
    expect(compileQuery({}).order).toEqual([{ field: 'id', path: ['id'], desc: false }]);
    expect(compileQuery({ orderBy: '-age' }).order.map((t) => [t.field, t.desc])).toEqual([
      ['age', true],
      ['id', true],
    ]);
    // Terms after an id term can never matter.
    expect(compileQuery({ orderBy: ['a', '-id', 'b'] }).order.map((t) => t.field)).toEqual([
      'a',
      'id',
    ]);
    expect(compileQuery({ where: {} }).filter).toBeUndefined();
  });

  test('an unknown operator names the place and suggests the fix', () => {
    const e = error({ where: { age: { gtt: 5 } } });
    expect(e.message).toContain('where.age');
    expect(e.message).toContain('did you mean "gt"?');
    expect(error({ where: { name: { startswith: 'a' } } }).message).toContain(
      'did you mean "startsWith"?',
    );
  });

  test('an object that is not a condition suggests a dot path or eq', () => {
    const e = error({ where: { address: { city: 'Oslo' } } });
    expect(e.message).toContain('{ city } is not a condition');
    expect(e.message).toContain('{ "address.city": … }');
    expect(e.message).toContain('{ address: { eq: { … } } }');
    expect(error({ where: { a: { gt: 1, b: 2 } } }).message).toContain('is not a condition');
    expect(error({ where: { a: {} } }).message).toContain('use { eq: {} }');
  });

  test('bad operands', () => {
    expect(error({ where: { a: { in: 'x' } } }).message).toBe(
      'where.a.in must be an array of values, got "x"',
    );
    expect(error({ where: { a: { startsWith: 1 } } }).message).toBe(
      'where.a.startsWith must be a string, got 1',
    );
    expect(error({ where: { a: { exists: 'yes' } } }).message).toBe(
      'where.a.exists must be true or false, got "yes"',
    );
    expect(error({ where: { a: undefined } }).message).toContain('use { exists: false }');
    expect(error({ where: { a: { eq: undefined } } }).message).toContain('is undefined');
    expect(error({ where: { a: new Date(0) } }).message).toContain('where.a: cannot store');
    expect(error({ where: { a: { in: [1, () => 1] } } }).message).toContain('where.a.in[1]');
  });

  test('bad logic and paths', () => {
    expect(error({ where: { $nor: [] } }).message).toBe(
      'where: unknown logical operator "$nor"; use $and, $or or $not',
    );
    expect(error({ where: { $or: { a: 1 } } }).message).toContain(
      'where.$or must be an array of where objects',
    );
    expect(error({ where: { $and: [{ a: 1 }, 'b'] } }).message).toContain(
      'where.$and[1] must be an object',
    );
    expect(error({ where: { 'a..b': 1 } }).message).toContain('invalid field path "a..b"');
    expect(error({ where: 'a = 1' }).message).toContain('where must be an object');
  });

  test('bad limit, offset, orderBy and options', () => {
    expect(error({ limit: 0 }).message).toBe(
      'limit must be a positive integer, got 0 (to count matches use countQuery)',
    );
    expect(error({ limit: 1.5 }).message).toBe('limit must be a positive integer, got 1.5');
    expect(error({ limit: '10' }).message).toBe('limit must be a positive integer, got "10"');
    expect(error({ offset: -1 }).message).toBe('offset must be a non-negative integer, got -1');
    expect(error({ orderBy: { field: 'a', direction: 'up' } }).message).toBe(
      "orderBy.direction must be 'asc' or 'desc', got \"up\"",
    );
    expect(error({ orderBy: ['a', ''] }).message).toContain('orderBy[1]');
    expect(error({ orderBy: [{ feild: 'a' }] }).message).toContain('unknown key "feild"');
    expect(error({ limt: 5 }).message).toBe(
      'unknown query option "limt"; the options are where, orderBy, limit, offset, after',
    );
  });

  test('bad cursors', () => {
    const malformed =
      'after is not a valid cursor; pass the nextCursor of a previous page unchanged';
    expect(error({ after: 'not a cursor!' }).message).toBe(malformed);
    expect(error({ after: 'AAAA' }).message).toBe(malformed);
    expect(error({ after: '' }).message).toBe(malformed);
    expect(error({ after: 42 }).message).toContain('after must be a string');
  });
});
