import { describe, expect, test } from 'vitest';
import {
  compareKeys,
  hasPrefix,
  MemoryStorage,
  ordinalKey,
  runStorageAcceptance,
} from '../src/index.js';
import { withSeedAsync } from './helpers/prng.js';

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

test('many small values, over several pages of places, each read back as written', async () => {
  const storage = new MemoryStorage();
  const bytesFor = (i: number) =>
    new Uint8Array([i & 255, i >> 8, (i * 7) & 255].slice(0, 1 + (i % 3)));
  const n = 1000;
  for (let i = 0; i < n; i += 100) {
    const ops = Array.from({ length: 100 }, (_, k) => ({
      op: 'put' as const,
      key: ['v', String(i + k)],
      data: bytesFor(i + k),
    }));
    await storage.batch(ops);
  }
  for (const i of [0, 255, 256, 257, 511, 512, 999])
    expect([...(await storage.get(['v', String(i)]))!]).toEqual([...bytesFor(i)]);
  const all = await storage.range(['v']);
  expect(all.length).toBe(n);
  for (const { key, data } of all) expect([...data]).toEqual([...bytesFor(Number(key[1]))]);
});

test('keys that end in an ordinal (kept in arrays) read, range and delete like any other', async () => {
  const name = 'keys that end in an ordinal (kept in arrays) read, range and delete like any other';
  await withSeedAsync('packages/core/test/memory-storage.test.ts', name, async (rng) => {
    const storage = new MemoryStorage();
    const model = new Map<string, number>(); // JSON of the key -> the byte stored
    const prefixes = [['spaces', 'a', 'log'], ['spaces', 'b', 'log'], ['spaces', 'a'], ['x']];
    const ordinals = [0, 1, 2, 3, 5, 8, 100, 5000, 9000, 2 ** 30, 2 ** 40];
    const randomKey = () => {
      const prefix = prefixes[rng.int(prefixes.length)]!;
      const last =
        rng.int(4) === 0 ? `k${rng.int(3)}` : ordinalKey(ordinals[rng.int(ordinals.length)]!);
      return [...prefix, last];
    };
    for (let step = 0; step < 400; step++) {
      const kind = rng.int(10);
      if (kind < 6) {
        const key = randomKey();
        await storage.batch([{ op: 'put', key, data: new Uint8Array([step & 255]) }]);
        model.set(JSON.stringify(key), step & 255);
      } else if (kind < 8) {
        const key = randomKey();
        await storage.batch([{ op: 'delete', key }]);
        model.delete(JSON.stringify(key));
      } else if (kind < 9) {
        const prefix = prefixes[rng.int(prefixes.length)]!.slice(0, 1 + rng.int(3));
        await storage.batch([{ op: 'deleteRange', prefix }]);
        for (const k of [...model.keys()]) if (hasPrefix(JSON.parse(k), prefix)) model.delete(k);
      }
      const key = randomKey();
      expect((await storage.get(key))?.[0]).toBe(model.get(JSON.stringify(key)));
      const prefix = prefixes[rng.int(prefixes.length)]!;
      const from = rng.int(2) ? randomKey() : undefined;
      const before = rng.int(2) ? randomKey() : undefined;
      const expected = [...model]
        .map(([k, v]) => ({ key: JSON.parse(k) as string[], v }))
        .filter(({ key: k }) => hasPrefix(k, prefix))
        .filter(({ key: k }) => !from || compareKeys(k, from) >= 0)
        .filter(({ key: k }) => !before || compareKeys(k, before) < 0)
        .sort((a, b) => compareKeys(a.key, b.key));
      const got = await storage.range(prefix, from, before);
      expect(got.map((e) => [e.key, e.data[0]])).toEqual(expected.map((e) => [e.key, e.v]));
    }
  });
});
