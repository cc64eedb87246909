import { describe, expect, test } from 'vitest';
import { SchemaValidationError, type StandardSchemaV1 } from '../../src/index.js';
import { memoryDb } from './helpers.js';

/** A hand-written Standard Schema validator: title is a non-empty string, done a boolean. */
const taskSchema: StandardSchemaV1<unknown, { title: string; done: boolean }> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(value) {
      const v = value as Record<string, unknown>;
      const issues = [];
      if (typeof v.title !== 'string' || v.title.length === 0)
        issues.push({ message: 'must be a non-empty string', path: ['title'] });
      if (v.done !== undefined && typeof v.done !== 'boolean')
        issues.push({ message: 'must be a boolean', path: ['done'] });
      if (issues.length > 0) return { issues };
      return { value: { done: false, ...v } as { title: string; done: boolean } };
    },
  },
};

describe('schemas', () => {
  test('a valid write passes (with the validator’s output); an invalid one names the field and writes nothing', async () => {
    const db = await memoryDb('me');
    const space = await db.space('s');
    const tasks = space.collection('tasks', { schema: taskSchema });
    const t = await tasks.insert({ title: 'ship' } as { title: string; done: boolean });
    expect(tasks.get(t.id)).toEqual({ id: t.id, title: 'ship', done: false }); // default filled in
    const error = await tasks
      .insert({ title: '', done: 'yes' } as unknown as { title: string; done: boolean })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect(error.message).toBe(
      'tasks: invalid document: field "title": must be a non-empty string; field "done": must be a boolean',
    );
    await expect(tasks.update(t.id, { title: '' })).rejects.toThrow(/field "title"/);
    expect(tasks.count()).toBe(1);
    expect(tasks.get(t.id)?.title).toBe('ship');
    expect(space.stats().changes).toBe(1);
  });

  test('an invalid write inside a transaction aborts all of it', async () => {
    const db = await memoryDb('me');
    const space = await db.space('s');
    const tasks = space.collection('tasks', { schema: taskSchema });
    await expect(
      space.transact(() => {
        tasks.insert({ title: 'fine', done: false });
        tasks.insert({ title: '', done: false });
      }),
    ).rejects.toBeInstanceOf(SchemaValidationError);
    expect(tasks.count()).toBe(0);
  });
});
