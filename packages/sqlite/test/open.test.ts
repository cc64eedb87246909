import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DATABASE_FILE, openSqliteDatabase } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('a database in a data directory keeps documents, indexes and history across reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-open-'));
  dirs.push(dir);
  const db = await openSqliteDatabase({ dataDir: join(dir, 'nested') });
  const space = await db.space('notes');
  const notes = space.collection<{ text: string; n: number }>('notes', { indexes: [['n']] });
  for (let i = 0; i < 50; i++) await notes.insert({ id: `n${i}`, text: `note ${i}`, n: i });
  await notes.delete('n3');
  const heads = space.heads();
  await db.close();

  const again = await openSqliteDatabase({ dataDir: join(dir, 'nested') });
  expect(again.replicaId).toBe(db.replicaId);
  const reopened = await again.space('notes');
  const notes2 = reopened.collection<{ text: string; n: number }>('notes', { indexes: [['n']] });
  expect(notes2.count()).toBe(49);
  expect(notes2.find({ where: { n: { gte: 45 } } }).map((d) => d.id)).toEqual([
    'n45',
    'n46',
    'n47',
    'n48',
    'n49',
  ]);
  expect(notes2.explain({ where: { n: { gte: 45 } } }).text).toMatch(/index/);
  expect(reopened.heads()).toEqual(heads);
  await again.close();
  expect(DATABASE_FILE).toBe('weft.sqlite');
});
