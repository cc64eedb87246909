import { describe, expect, test } from 'vitest';
import { compareKeys, MemoryStorage, runStorageAcceptance } from '../src/index.js';

runStorageAcceptance('memory', { describe, test }, { open: async () => new MemoryStorage() });

test('ranges and deletes by prefix hold with keys whose parts need escaping', async () => {
  const parts = ['', 'a', 'b', 'a"', '"', ',', 'a,b', '\\', 'a\\"', ']', '[', 'ü', '"a"'];
  const keys: string[][] = [];
  for (const a of parts) {
    keys.push([a]);
    for (const b of parts) {
      keys.push([a, b]);
      for (const c of parts.slice(0, 4)) keys.push([a, b, c]);
    }
  }
  const storage = new MemoryStorage();
  await storage.batch(keys.map((key, i) => ({ op: 'put', key, data: new Uint8Array([i]) })));
  const under = (key: string[], prefix: string[]) => prefix.every((p, i) => key[i] === p);
  for (const prefix of [[], ...keys.slice(0, 300)]) {
    const got = (await storage.range(prefix)).map((e) => e.key);
    expect(got).toEqual(keys.filter((k) => under(k, prefix)).sort(compareKeys));
  }
  await storage.batch([{ op: 'deleteRange', prefix: ['a"'] }]);
  expect((await storage.range([])).length).toBe(keys.filter((k) => k[0] !== 'a"').length);
});

test('values small and large are copied in and out', async () => {
  const storage = new MemoryStorage();
  const small = new Uint8Array([1, 2, 3]);
  const large = new Uint8Array(5000).fill(7);
  await storage.batch([
    { op: 'put', key: ['s'], data: small },
    { op: 'put', key: ['l'], data: large },
  ]);
  small[0] = 9;
  large[0] = 9;
  const got = (await storage.get(['s']))!;
  expect([...got]).toEqual([1, 2, 3]);
  expect((await storage.get(['l']))![0]).toBe(7);
  got[1] = 9;
  expect([...(await storage.get(['s']))!]).toEqual([1, 2, 3]);
  expect(got.buffer.byteLength).toBe(3);
});
