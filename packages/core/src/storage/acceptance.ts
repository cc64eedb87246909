import { bytesEqual } from '../encoding/value.js';
import type { StorageAdapter, StorageKey, StorageOp } from './adapter.js';

/** The two functions of a test runner the suite needs (vitest's and node:test's fit). */
export interface TestHarness {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => Promise<void>): void;
}

export interface AcceptanceSetup {
  /** A fresh, empty adapter. */
  open(): Promise<StorageAdapter>;
  /** Closes `adapter` and opens the same storage again (omit for storage that does not persist). */
  reopen?(adapter: StorageAdapter): Promise<StorageAdapter>;
}

const bytes = (...xs: number[]) => new Uint8Array(xs);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`storage acceptance: ${message}`);
}

async function expectReject(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise;
  } catch {
    return;
  }
  throw new Error(`storage acceptance: ${message}`);
}

const put = (key: StorageKey, data: Uint8Array): StorageOp => ({ op: 'put', key, data });

/**
 * The storage contract as tests. Every adapter runs it:
 * `runStorageAcceptance('sqlite', { describe, test }, { open, reopen })`.
 */
export function runStorageAcceptance(name: string, t: TestHarness, setup: AcceptanceSetup): void {
  const withAdapter = (body: (s: StorageAdapter) => Promise<void>) => async () => {
    const s = await setup.open();
    try {
      await body(s);
    } finally {
      await s.close();
    }
  };

  t.describe(`storage acceptance: ${name}`, () => {
    t.test(
      'a missing key reads as undefined; an empty prefix range of empty storage is empty',
      withAdapter(async (s) => {
        check((await s.get(['nope'])) === undefined, 'missing key should be undefined');
        check((await s.range([])).length === 0, 'empty storage should have no entries');
      }),
    );

    t.test(
      'put then get returns the same bytes, copied',
      withAdapter(async (s) => {
        const data = bytes(1, 2, 3);
        await s.batch([put(['a', 'b'], data)]);
        data[0] = 9;
        const got = await s.get(['a', 'b']);
        check(
          got && bytesEqual(got, bytes(1, 2, 3)),
          'value should round-trip and not alias the input',
        );
        check((await s.get(['a'])) === undefined, 'a key prefix is not the key');
      }),
    );

    t.test(
      'empty values, large values and unicode keys',
      withAdapter(async (s) => {
        const big = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
        await s.batch([
          put(['empty'], bytes()),
          put(['big'], big),
          put(['ключ', '鍵', '🔑'], bytes(7)),
        ]);
        check((await s.get(['empty']))?.length === 0, 'empty value should be stored');
        const gotBig = await s.get(['big']);
        check(gotBig && bytesEqual(gotBig, big), 'a 2 MiB value should round-trip');
        check((await s.get(['ключ', '鍵', '🔑']))?.[0] === 7, 'unicode keys should work');
      }),
    );

    t.test(
      'range returns exactly the keys under a prefix, in key order',
      withAdapter(async (s) => {
        const keys: StorageKey[] = [
          ['p', 'b'],
          ['p', 'a', 'x'],
          ['p'],
          ['pa'],
          ['p', 'a'],
          ['q'],
          ['o', 'p'],
        ];
        await s.batch(keys.map((k, i) => put(k, bytes(i))));
        const got = (await s.range(['p'])).map((e) => e.key.join('/'));
        check(
          JSON.stringify(got) === JSON.stringify(['p', 'p/a', 'p/a/x', 'p/b']),
          `range(['p']) gave ${JSON.stringify(got)}`,
        );
        const all = (await s.range([])).map((e) => e.key.join('/'));
        check(all.length === keys.length, 'range([]) should return everything');
        check(
          JSON.stringify(all) === JSON.stringify([...all].sort(cmpJoined)),
          'range should be in key order',
        );
      }),
    );

    t.test(
      'range from a start key',
      withAdapter(async (s) => {
        await s.batch(['a', 'b', 'c', 'd'].map((x) => put(['log', x], bytes())));
        await s.batch([put(['logs'], bytes()), put(['lof'], bytes())]);
        const got = (await s.range(['log'], ['log', 'b'])).map((e) => e.key.join('/'));
        check(
          JSON.stringify(got) === JSON.stringify(['log/b', 'log/c', 'log/d']),
          `range from ['log','b'] gave ${JSON.stringify(got)}`,
        );
        const after = (await s.range(['log'], ['log', 'bb'])).map((e) => e.key.join('/'));
        check(
          JSON.stringify(after) === JSON.stringify(['log/c', 'log/d']),
          `range from ['log','bb'] gave ${JSON.stringify(after)}`,
        );
      }),
    );

    t.test(
      'range before an end key (exclusive), with or without a start',
      withAdapter(async (s) => {
        await s.batch(['a', 'b', 'c', 'd'].map((x) => put(['log', x], bytes())));
        await s.batch([put(['logs'], bytes()), put(['lof'], bytes())]);
        const keysOf = async (from?: string[], before?: string[]) =>
          JSON.stringify((await s.range(['log'], from, before)).map((e) => e.key.join('/')));
        const cases: [string[] | undefined, string[], string[]][] = [
          [undefined, ['log', 'c'], ['log/a', 'log/b']],
          [
            ['log', 'b'],
            ['log', 'd'],
            ['log/b', 'log/c'],
          ],
          [['log', 'b'], ['log', 'bb'], ['log/b']],
          [['log', 'c'], ['log', 'b'], []],
          [undefined, ['m'], ['log/a', 'log/b', 'log/c', 'log/d']],
          [undefined, ['log', 'b\u0000x'], ['log/a', 'log/b']],
        ];
        for (const [from, before, want] of cases) {
          const got = await keysOf(from, before);
          check(
            got === JSON.stringify(want),
            `range(['log'], ${JSON.stringify(from)}, ${JSON.stringify(before)}) gave ${got}`,
          );
        }
      }),
    );

    t.test(
      'numeric ordinals sort as numbers when padded',
      withAdapter(async (s) => {
        const ops = [10, 2, 1000, 33].map((n) =>
          put(['log', n.toString(36).padStart(11, '0')], bytes(n % 256)),
        );
        await s.batch(ops);
        const got = (await s.range(['log'])).map((e) => Number.parseInt(e.key[1]!, 36));
        check(
          JSON.stringify(got) === JSON.stringify([2, 10, 33, 1000]),
          `ordinals out of order: ${got}`,
        );
      }),
    );

    t.test(
      'overwrite, delete and deleteRange',
      withAdapter(async (s) => {
        await s.batch([
          put(['k'], bytes(1)),
          put(['k'], bytes(2)),
          put(['r', '1'], bytes()),
          put(['r', '2'], bytes()),
          put(['rr'], bytes()),
        ]);
        check((await s.get(['k']))?.[0] === 2, 'the later put should win');
        await s.batch([
          { op: 'delete', key: ['k'] },
          { op: 'deleteRange', prefix: ['r'] },
        ]);
        check((await s.get(['k'])) === undefined, 'delete should remove the key');
        check((await s.range(['r'])).length === 0, 'deleteRange should remove the prefix');
        check(
          (await s.get(['rr'])) !== undefined,
          'deleteRange must not touch a sibling with a longer name',
        );
      }),
    );

    t.test(
      'operations in one batch apply in order',
      withAdapter(async (s) => {
        await s.batch([
          put(['x'], bytes(1)),
          { op: 'delete', key: ['x'] },
          put(['y'], bytes(1)),
          { op: 'deleteRange', prefix: ['y'] },
          put(['y'], bytes(2)),
        ]);
        check((await s.get(['x'])) === undefined, 'put then delete leaves nothing');
        check((await s.get(['y']))?.[0] === 2, 'deleteRange then put leaves the put');
      }),
    );

    t.test(
      'a batch with an invalid operation is refused whole',
      withAdapter(async (s) => {
        await s.batch([put(['keep'], bytes(1))]);
        const bad = [
          put(['new'], bytes(1)),
          { op: 'put', key: ['broken'], data: 'not bytes' } as unknown as StorageOp,
        ];
        await expectReject(s.batch(bad), 'a batch with a non-byte value should reject');
        check((await s.get(['new'])) === undefined, 'nothing of a refused batch may be written');
        await expectReject(s.batch([put([], bytes(1))]), 'an empty key should be refused');
        await expectReject(
          s.batch([put(['a', 5 as unknown as string], bytes(1))]),
          'a non-string key part should be refused',
        );
        check((await s.get(['keep']))?.[0] === 1, 'earlier data survives');
      }),
    );

    t.test(
      'concurrent batches all land',
      withAdapter(async (s) => {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            s.batch([put(['c', String(i).padStart(3, '0')], bytes(i))]),
          ),
        );
        check((await s.range(['c'])).length === 50, 'every concurrent batch should be stored');
      }),
    );

    t.test(
      'a thousand keys in one batch',
      withAdapter(async (s) => {
        await s.batch(
          Array.from({ length: 1000 }, (_, i) =>
            put(['m', String(i).padStart(4, '0')], bytes(i % 256)),
          ),
        );
        const got = await s.range(['m']);
        check(got.length === 1000 && got[999]!.key[1] === '0999', 'all 1000 keys in order');
      }),
    );

    if (setup.reopen) {
      const reopen = setup.reopen;
      t.test('data survives close and reopen', async () => {
        let s = await setup.open();
        await s.batch([put(['durable', 'a'], bytes(1, 2)), put(['durable', 'b'], bytes(3))]);
        await s.batch([{ op: 'delete', key: ['durable', 'b'] }]);
        s = await reopen(s);
        try {
          const got = await s.range(['durable']);
          check(
            got.length === 1 && got[0]!.key[1] === 'a' && bytesEqual(got[0]!.data, bytes(1, 2)),
            'data should survive a reopen',
          );
        } finally {
          await s.close();
        }
      });
    }

    t.test('a closed adapter refuses calls', async () => {
      const s = await setup.open();
      await s.close();
      await expectReject(s.get(['a']), 'get after close should reject');
      await expectReject(s.batch([put(['a'], bytes())]), 'batch after close should reject');
    });
  });
}

function cmpJoined(a: string, b: string): number {
  const ka = a.split('/');
  const kb = b.split('/');
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  }
  return ka.length - kb.length;
}
