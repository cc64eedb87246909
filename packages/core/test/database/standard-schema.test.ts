import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { SchemaValidationError, type StandardSchemaV1 } from '../../src/index.js';
import { memoryDb } from './helpers.js';

// The same rule in three validators: title is a non-empty string, votes a non-negative integer.
const validators: [string, StandardSchemaV1<unknown, { title: string; votes: number }>][] = [
  ['zod', z.object({ title: z.string().min(1), votes: z.number().int().min(0) })],
  [
    'valibot',
    v.object({
      title: v.pipe(v.string(), v.minLength(1)),
      votes: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ],
  ['arktype', type({ title: 'string > 0', votes: 'number.integer >= 0' })],
];

describe.each(validators)('Standard Schema: %s', (_name, schema) => {
  test('valid writes pass; an invalid one names the field, and writes nothing', async () => {
    const space = await (await memoryDb('me')).space('s');
    const cards = space.collection('cards', { schema, fields: { votes: 'counter' } });
    const card = await cards.insert({ title: 'ok', votes: 0 });
    // The document type comes from the schema.
    const title: string = card.title;
    expect(title).toBe('ok');
    await cards.update(card.id, (d) => {
      d.votes += 2;
    });
    expect(cards.get(card.id)?.votes).toBe(2);
    const error = await cards.insert({ title: '', votes: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).message).toMatch(/field "title"/);
    expect((error as SchemaValidationError).message).toMatch(/field "votes"/);
    await expect(cards.update(card.id, { votes: 1.5 })).rejects.toThrow(/field "votes"/);
    expect(cards.count()).toBe(1);
    expect(space.stats().changes).toBe(2);
  });
});
