import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareKeys,
  hasPrefix,
  MemoryStorage,
  runStorageAcceptance,
  type StorageAdapter,
  type StorageKey,
} from '@weft/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteStorage, SqliteStorageError } from '../src/index.js';
import { decodeKey, encodeKey } from '../src/key-encoding.js';

const root = mkdtempSync(join(tmpdir(), 'weft-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh database path in a directory that does not exist yet. */
const freshPath = () => join(root, `db-${counter++}`, 'weft.sqlite');

runStorageAcceptance(
  'sqlite',
  { describe, test },
  {
    open: async () => SqliteStorage.open(freshPath()),
    reopen: async (adapter: StorageAdapter) => {
      const { path } = adapter as SqliteStorage;
      await adapter.close();
      return SqliteStorage.open(path);
    },
  },
);

runStorageAcceptance(
  'sqlite :memory:',
  { describe, test },
  {
    open: async () => SqliteStorage.open(':memory:'),
  },
);

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ASCII, Latin-1, Cyrillic, CJK, the private use area and U+FFFF (above the surrogates in
// UTF-16 order, below astral characters in code point order), astral characters, and lone
// surrogates, which JS strings may hold.
const alphabet = [
  'a',
  'b',
  'z',
  '\u0001',
  '~',
  'é',
  'ж',
  '鍵',
  '\ue000',
  '\uffff',
  '🔑',
  '𝄞',
  '\ud800',
  '\udfff',
];

function randomKeys(seed: number, count: number): StorageKey[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const part = () => Array.from({ length: Math.floor(rand() * 4) }, () => pick(alphabet)).join('');
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, part),
  );
}

const show = (keys: readonly StorageKey[]) => keys.map((k) => JSON.stringify(k));

describe('key encoding', () => {
  test('byte order of encoded keys is compareKeys order, for 1000 random keys', () => {
    const keys = randomKeys(1, 1000);
    const byCompareKeys = [...keys].sort(compareKeys);
    const byBytes = [...keys].sort((a, b) => Buffer.compare(encodeKey(a), encodeKey(b)));
    expect(show(byBytes)).toEqual(show(byCompareKeys));
    for (const key of keys) expect(decodeKey(encodeKey(key))).toEqual(key);
  });

  test('SQLite returns random keys, prefixes and start keys exactly as MemoryStorage does', async () => {
    const keys = randomKeys(2, 1000);
    const sqlite = SqliteStorage.open(':memory:');
    const memory = new MemoryStorage();
    const ops = keys.map((key, i) => ({
      op: 'put' as const,
      key,
      data: new Uint8Array([i % 256]),
    }));
    await sqlite.batch(ops);
    await memory.batch(ops);
    const all = await sqlite.range([]);
    expect(show(all.map((e) => e.key))).toEqual(show((await memory.range([])).map((e) => e.key)));
    expect(all.map((e) => [...e.data])).toEqual((await memory.range([])).map((e) => [...e.data]));

    const probes = randomKeys(3, 200);
    // Start keys holding NUL, which no stored key can hold, still bound the range exactly.
    probes.push(['a\u0000'], ['b', 'a\u0000z'], ['\u0000']);
    for (const probe of probes) {
      for (const prefix of [[], probe.slice(0, 1)]) {
        const got = (await sqlite.range(prefix, probe)).map((e) => e.key);
        const want = (await memory.range(prefix, probe)).map((e) => e.key);
        expect(show(got), JSON.stringify([prefix, probe])).toEqual(show(want));
        expect(got.every((k) => hasPrefix(k, prefix) && compareKeys(k, probe) >= 0)).toBe(true);
      }
      expect(await sqlite.get(probe)).toEqual(await memory.get(probe));
    }
    await sqlite.batch([{ op: 'deleteRange', prefix: ['a'] }]);
    await memory.batch([{ op: 'deleteRange', prefix: ['a'] }]);
    expect(show((await sqlite.range([])).map((e) => e.key))).toEqual(
      show((await memory.range([])).map((e) => e.key)),
    );
    await sqlite.close();
  });

  test('a key with NUL is never found and never aliases another key', async () => {
    const s = SqliteStorage.open(':memory:');
    await s.batch([{ op: 'put', key: ['a', 'b'], data: new Uint8Array([1]) }]);
    expect(await s.get(['a\u0000b'])).toBeUndefined();
    expect(await s.range(['a\u0000b'])).toEqual([]);
    await expect(s.batch([{ op: 'delete', key: ['a\u0000b'] }])).rejects.toThrow(TypeError);
    await s.close();
  });
});

describe('SqliteStorage', () => {
  test('the database is in WAL mode with synchronous=FULL', async () => {
    const path = freshPath();
    const s = SqliteStorage.open(path);
    await s.batch([{ op: 'put', key: ['k'], data: new Uint8Array([1]) }]);
    // synchronous is per connection: ask ours. journal_mode=WAL is kept in the file: ask another.
    const own = (s as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(own.pragma('busy_timeout', { simple: true })).toBe(5000);
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
    await s.close();
  });

  test('a file opened by path survives reopen', async () => {
    const path = freshPath();
    const s = SqliteStorage.open(path);
    await s.batch([
      { op: 'put', key: ['doc', 'é'], data: new Uint8Array([1, 2, 3]) },
      { op: 'put', key: ['doc', '🔑'], data: new Uint8Array() },
    ]);
    await s.close();
    const again = SqliteStorage.open(path);
    expect(again.path).toBe(path);
    const entries = await again.range(['doc']);
    expect(entries.map((e) => [e.key, [...e.data]])).toEqual([
      [
        ['doc', 'é'],
        [1, 2, 3],
      ],
      [['doc', '🔑'], []],
    ]);
    expect(entries[0]!.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(entries[0]!.data)).toBe(false);
    await again.close();
  });

  test('a path under a regular file gives an error naming the path', () => {
    const file = join(root, `plain-file-${counter++}`);
    writeFileSync(file, 'not a directory');
    const path = join(file, 'sub', 'weft.sqlite');
    expect(() => SqliteStorage.open(path)).toThrow(SqliteStorageError);
    try {
      SqliteStorage.open(path);
    } catch (error) {
      expect((error as SqliteStorageError).code).toBe('not-writable');
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(/writable directory/);
    }
  });

  test.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'a directory without write permission gives an error naming the path',
    () => {
      const dir = join(root, `read-only-${counter++}`);
      mkdirSync(dir, { mode: 0o500 });
      const path = join(dir, 'weft.sqlite');
      expect(() => SqliteStorage.open(path)).toThrow(
        expect.objectContaining({ code: 'not-writable', message: expect.stringContaining(path) }),
      );
    },
  );

  test('a file that is not a database gives an error naming the path', () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'this is not a SQLite database, just some text long enough to matter');
    expect(() => SqliteStorage.open(path)).toThrow(
      expect.objectContaining({ code: 'corrupt', message: expect.stringContaining(path) }),
    );
  });

  test('a database held by another writer past the busy timeout rejects as locked', async () => {
    const path = freshPath();
    const s = SqliteStorage.open(path, { busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const put = { op: 'put' as const, key: ['k'], data: new Uint8Array([1]) };
    await expect(s.batch([put])).rejects.toThrow(
      expect.objectContaining({ code: 'locked', message: expect.stringContaining(path) }),
    );
    other.exec('COMMIT');
    other.close();
    await s.batch([put]);
    expect(await s.get(['k'])).toEqual(new Uint8Array([1]));
    await s.close();
  });

  test('a database from a newer format is refused with advice', () => {
    const path = freshPath();
    SqliteStorage.open(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteStorage.open(path)).toThrow(
      expect.objectContaining({
        code: 'newer-format',
        message: expect.stringContaining('upgrade'),
      }),
    );
  });

  test('after close every call rejects with a clear error, and close is idempotent', async () => {
    const s = SqliteStorage.open(':memory:');
    await s.close();
    await s.close();
    const closed = expect.objectContaining({
      code: 'closed',
      message: expect.stringContaining('is closed'),
    });
    await expect(s.get(['a'])).rejects.toThrow(closed);
    await expect(s.range([])).rejects.toThrow(closed);
    await expect(s.batch([])).rejects.toThrow(closed);
  });
});
