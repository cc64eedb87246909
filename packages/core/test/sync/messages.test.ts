import { expect, test } from 'vitest';
import {
  DecodeError,
  decodeMessage,
  encodeMessage,
  openDatabase,
  PROTOCOL_VERSION,
  type SyncMessage,
} from '../../src/index.js';
import { iterations, withSeed } from '../helpers/prng.js';

const FILE = 'packages/core/test/sync/messages.test.ts';

async function corpus(): Promise<SyncMessage[]> {
  const space = await (await openDatabase({ actor: 'a' })).space('s');
  for (let i = 0; i < 5; i++)
    await space.collection('c').insert({ id: `d${i}`, n: i, tags: ['x'] });
  const runs = space.changesSince(new Map());
  return [
    {
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: 'a',
      space: 's',
      heads: space.heads(),
      vector: space.versionVector(),
      credentials: { token: 't' },
      wantsSnapshot: false,
      wantsAcks: true,
    },
    {
      kind: 'hello',
      protocol: PROTOCOL_VERSION,
      replica: 'b',
      space: 's',
      heads: [],
      vector: new Map(),
      credentials: null,
      wantsSnapshot: true,
      wantsAcks: false,
    },
    { kind: 'changes', runs },
    { kind: 'ack', vector: space.versionVector() },
    { kind: 'error', code: 'protocol', message: 'no' },
    { kind: 'presence', client: 'a', state: { name: 'Ann', cursor: 3 } },
    { kind: 'presence', client: 'a', state: null },
    { kind: 'snapshot', snapshot: space.snapshotForPeer().snapshot },
    { kind: 'part', last: false, bytes: new Uint8Array([1, 2, 3]) },
    { kind: 'part', last: true, bytes: new Uint8Array() },
    { kind: 'ping' },
    { kind: 'pong' },
  ];
}

test('messages round-trip', async () => {
  for (const m of await corpus()) expect(decodeMessage(encodeMessage(m))).toEqual(m);
});

test('any bytes decode to a message or throw DecodeError (fuzz)', async () => {
  const valid = (await corpus()).map(encodeMessage);
  const rounds = iterations(3_000, 300_000);
  withSeed(FILE, 'any bytes decode', (rng) => {
    for (let i = 0; i < rounds; i++) {
      let input: Uint8Array;
      if (rng.chance(0.3)) input = rng.bytes(rng.int(64));
      else {
        input = rng.pick(valid).slice();
        for (let k = 0, n = 1 + rng.int(4); k < n; k++) {
          const at = rng.int(input.length);
          if (rng.chance(0.2)) input = input.slice(0, at);
          else input[at] = rng.pick([0, 0xff, 0x80, 0x7f, rng.int(256)]);
        }
      }
      try {
        const m = decodeMessage(input);
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      } catch (error) {
        if (!(error instanceof DecodeError)) {
          throw new Error(`input ${Buffer.from(input).toString('hex')} threw ${String(error)}`);
        }
      }
    }
  });
});
