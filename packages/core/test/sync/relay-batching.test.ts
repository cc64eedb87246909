// A relay (a server) schedules its pushes: changes received in one turn leave together, in one
// message per peer; and its storage writes can be scheduled after those pushes.
import { expect, test } from 'vitest';
import {
  decodeMessage,
  memoryTransportPair,
  openDatabase,
  type Space,
  SyncSession,
  type Transport,
} from '../../src/index.js';

/** A transport end that records the kinds (and run counts) of the messages sent on it. */
function recording(transport: Transport, sent: string[]): Transport {
  return {
    send(message) {
      const m = decodeMessage(message);
      sent.push(m.kind === 'changes' ? `changes:${m.runs.length}` : m.kind);
      transport.send(message);
    },
    onMessage: (receive) => transport.onMessage(receive),
    onClose: (closed) => transport.onClose(closed),
    close: (reason) => transport.close(reason),
  };
}

/** A scheduler that runs what it is given only when told to. */
function manualScheduler() {
  const queue: (() => void)[] = [];
  return {
    schedule: (callback: () => void) => void queue.push(callback),
    runAll() {
      for (const callback of queue.splice(0)) callback();
    },
    get size() {
      return queue.length;
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Five runs of one writer, each its own change. */
async function fiveRuns(): Promise<Space> {
  const writer = await (await openDatabase({ actor: 'writer' })).space('shared');
  for (let i = 0; i < 5; i++) {
    await writer.collection('notes').insert({ id: `n${i}` });
    await writer.flush();
  }
  return writer;
}

async function relayTo(options: { schedulePush?: (push: () => void) => void }) {
  const writer = await fiveRuns();
  const relay = await (await openDatabase({ actor: 'relay' })).space('shared');
  const reader = await (await openDatabase({ actor: 'reader' })).space('shared');
  const [toReader, fromRelay] = memoryTransportPair();
  const sent: string[] = [];
  const session = new SyncSession(relay, recording(toReader, sent), 'relay', options);
  session.start();
  new SyncSession(reader, fromRelay, 'reader').start();
  await settled();
  sent.length = 0;
  // Five runs arrive one after another in one turn, as messages from a writer would.
  for (const run of writer.changesSince(new Map())) relay.receiveSoon([run]);
  return { writer, reader, session, sent };
}

test('without a scheduler, each received run is relayed as it is applied', async () => {
  const { sent, reader, writer } = await relayTo({});
  expect(sent).toEqual(['changes:1', 'changes:1', 'changes:1', 'changes:1', 'changes:1']);
  await settled();
  expect(reader.versionVector()).toEqual(writer.versionVector());
});

test('with a scheduler, runs received in one turn leave in one message', async () => {
  const scheduler = manualScheduler();
  const { sent, reader, writer, session } = await relayTo({ schedulePush: scheduler.schedule });
  expect(sent).toEqual([]);
  expect(scheduler.size).toBe(1); // one push scheduled for the five changes
  scheduler.runAll();
  expect(sent).toEqual(['changes:5']);
  await session.idle();
  await settled();
  expect(reader.versionVector()).toEqual(writer.versionVector());
});

test('storage writes wait for their scheduler', async () => {
  const scheduler = manualScheduler();
  const db = await openDatabase({ actor: 'alice', persist: { schedule: scheduler.schedule } });
  const space = await db.space('shared');
  let durable = false;
  const write = space.collection('notes').insert({ id: 'n1' });
  void write.then(() => (durable = true));
  await settled();
  expect(durable).toBe(false);
  expect(space.durableVersionVector().size).toBe(0);
  scheduler.runAll();
  await write;
  expect(durable).toBe(true);
  expect(space.durableVersionVector().get('alice')).toBe(1);
});
