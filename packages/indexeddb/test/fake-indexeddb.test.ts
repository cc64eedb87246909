import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { indexedDbError } from '../src/errors.js';
import { IndexedDbError, IndexedDbStorage, openIndexedDbDatabase } from '../src/index.js';
import { registerAcceptance } from './pages/acceptance-suite.js';

// An extra run in Node on fake-indexeddb (the real run is in Chromium: chromium.test.ts).
const indexedDB = new IDBFactory();
registerAcceptance({ describe, test }, 'indexeddb on fake-indexeddb', { indexedDB, IDBKeyRange });

describe('IndexedDbStorage errors', () => {
  test('no IndexedDB in this context: a typed error that says what to do', async () => {
    const error = await IndexedDbStorage.open('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexedDbError);
    expect(error).toMatchObject({ code: 'unavailable', database: 'x' });
    expect((error as Error).message).toMatch(/secure context/);
  });

  test('browser failures map to codes with advice', () => {
    const quota = indexedDbError('db', 'write', new DOMException('full', 'QuotaExceededError'));
    expect(quota).toMatchObject({ code: 'quota', database: 'db' });
    expect(quota.message).toMatch(/free disk space/);
    const denied = indexedDbError('db', 'open', new DOMException('no', 'SecurityError'));
    expect(denied.code).toBe('unavailable');
    expect(denied.message).toMatch(/allow site data/);
    expect(indexedDbError('db', 'read', new Error('odd')).code).toBe('failed');
  });

  test('a closed adapter says it is closed', async () => {
    const s = await IndexedDbStorage.open('closed', { indexedDB, IDBKeyRange });
    await s.close();
    await expect(s.get(['a'])).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('openIndexedDbDatabase', () => {
  test('keeps one replica id across opens', async () => {
    const first = await openIndexedDbDatabase({ name: 'stable', indexedDB, IDBKeyRange });
    const notes = (await first.space('s')).collection('notes');
    await notes.insert({ id: 'n', text: 'hi' });
    await first.close();
    const again = await openIndexedDbDatabase({ name: 'stable', indexedDB, IDBKeyRange });
    expect(again.replicaId).toBe(first.replicaId);
    expect((await again.space('s')).collection('notes').get('n')).toMatchObject({ text: 'hi' });
    await again.close();
  });
});
