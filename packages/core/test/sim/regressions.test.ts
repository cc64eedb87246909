import { describe, expect, test } from 'vitest';
import {
  InvalidValueError,
  memoryTransportPair,
  openDatabase,
  type SimulationOptions,
  type Space,
  SyncSession,
  simulate,
} from '../../src/index.js';
import { SimDisk } from '../../src/sim/disk.js';
import { memoryDb, sync } from '../database/helpers.js';

/**
 * Every failing seed the simulator found, replayed, and beside each a focused test of the bug.
 * A seed's meaning depends on the generator: after a change to the simulator or the default
 * workload a seed may exercise something else, so the focused tests are the real guard and the
 * seeds a cheap extra. Bugs not fixed yet are skipped, with what the fix needs.
 */
async function replay(options: SimulationOptions): Promise<void> {
  const report = await simulate(options);
  expect(report.ops).toBe(options.ops ?? 200);
}

async function microtasks(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await undefined;
}

describe('fixed: a field named like an Object.prototype member (`constructor`) could not be removed', () => {
  // diff.ts read `before[key]` and `after[key]`, so a removed `constructor` field read as
  // Object.prototype.constructor and the write failed: "cannot store a value of type function".
  for (const seed of [0, 4, 18, 23]) test(`seed ${seed}`, () => replay({ seed }));

  test('update removes it, by patch and by draft, and replicas agree', async () => {
    const a = await (await memoryDb('alice', 1_000)).space('s');
    const b = await (await memoryDb('bob', 2_000)).space('s');
    const notes = a.collection('notes');
    await notes.insert({ id: 'n1', constructor: 'x', toString: 'y', title: 't' });
    await notes.update('n1', { constructor: undefined });
    const field: string = 'toString';
    await notes.update('n1', (d) => {
      delete d[field];
    });
    expect(notes.get('n1')).toEqual({ id: 'n1', title: 't' });
    await notes.update('n1', { title: 'u' }); // unrelated fields do not trip on it either
    await sync(a, b);
    expect(b.collection('notes').get('n1')).toEqual({ id: 'n1', title: 'u' });
  });
});

describe('fixed: flush() did not cover a write whose commit was still telling its listeners', () => {
  // Space.commit tells onChange listeners (sync sessions) before it schedules the write, and
  // a session's push awaited flush() right there: flush resolved at once, and the run left
  // before it was durable (then lost in a crash, and refused by peers as equivocation).
  // (Found by seeds 0 and 262 of an earlier generator; since sessions in the simulator hold
  // back runs not yet durable (below), only the focused test can show it.)

  test('flush() called from a change listener waits for that write', async () => {
    const disk = new SimDisk();
    const db = await openDatabase({ storage: disk.mount(), actor: 'alice', now: () => 1_000 });
    const space = await db.space('s');
    disk.slow = true; // batches wait until disk.sync()
    let flushed = false;
    space.onChange(() => {
      void space.flush().then(() => {
        flushed = true;
      });
    });
    void space.collection('notes').insert({ id: 'n1' });
    await microtasks();
    expect(disk.pending).toBe(1);
    expect(flushed).toBe(false);
    disk.sync();
    await microtasks();
    expect(flushed).toBe(true);
  });
});

/** Two spaces joined by sync sessions, in sync; alice's disk is slow now (batches wait for sync()). */
async function pairWithSlowDisk(options: { aliceEmpty?: boolean } = {}) {
  const disk = new SimDisk();
  let time = 1_000;
  const alice = await (
    await openDatabase({ storage: disk.mount(), actor: 'alice', now: () => time++ })
  ).space('s');
  const bob = await (await openDatabase({ actor: 'bob', now: () => time++ })).space('s');
  if (!options.aliceEmpty) await alice.collection('notes').insert({ id: 'n0' });
  await bob.collection('notes').insert({ id: 'b0' });
  if (options.aliceEmpty) disk.slow = true; // alice stores the snapshot she starts from slowly
  const [ta, tb] = memoryTransportPair();
  new SyncSession(alice, ta, 'alice').start();
  new SyncSession(bob, tb, 'bob', { requestSnapshot: false }).start();
  await microtasks(100);
  disk.slow = true;
  return { disk, alice, bob };
}

function has(space: Space, actor: string): number {
  return space.versionVector().get(actor) ?? 0;
}

describe('fixed: SyncSession sent runs that were not durable yet', () => {
  // push() awaits space.flush(), then reads the runs to send: a run written while the flush
  // waited (an fsync, say) leaves before it is durable. Crash, and the replica writes another
  // change under that seq; its peers refuse it as equivocation and sync stops for good.
  // Fix (session.ts, push): after the flush, take `const durable =
  // this.space.durableVersionVector()` and send only the runs with `runEnd(run) <=
  // durable.get(run.actor)` (the push a run's commit triggers sends it once durable); before
  // a snapshot, flush until `durableVersionVector()` equals `versionVector()`. The simulator
  // works around it until then (sim/session-workarounds.ts); these replay without that.
  const off = {} as const;
  const faulty = { ...off, slowDisks: true, topology: 'star' } as const;
  test('seed 85', () => replay({ seed: 85, ...off, topology: 'mesh' }));
  // Found before 9b0ebe5 changed push's timing (they may not reproduce it any more):
  test('seed 199', () => replay({ seed: 199, ...off }));
  for (const seed of [43, 231]) test(`seed ${seed}`, () => replay({ seed, ...faulty }));
  test('seed 1645', () => replay({ seed: 1645, ...faulty, faults: { crash: 0.03 }, ops: 60 }));

  test('a run written just as a push flush resolves stays until it is durable', async () => {
    // However many microtasks after the disk lands the first write the second one comes, bob
    // must not get it before it is durable.
    for (let gap = 0; gap < 24; gap++) {
      const { disk, alice, bob } = await pairWithSlowDisk();
      const notes = alice.collection('notes');
      void notes.insert({ id: 'n1' }); // a push starts and awaits the flush of this write
      await microtasks(10);
      disk.sync(); // n1 lands: the flush resolves a few microtasks later
      await microtasks(gap);
      void notes.insert({ id: 'n2' }); // its batch waits for the disk
      await microtasks(100);
      expect(has(bob, 'alice'), `gap ${gap}`).toBeLessThanOrEqual(2); // n0, n1
      disk.sync();
      await microtasks(100);
      expect(has(bob, 'alice')).toBe(3);
    }
  });
});

describe('fixed: writes made while a snapshot was adopted were never sent', () => {
  // onSnapshot awaits space.adoptSnapshot (which waits for the disk), then records that the
  // peer has this space's version vector, which by then includes writes made meanwhile: the
  // session never sends them, and the peer parks every later run of this replica (their deps
  // are missing) until a reconnect.
  // Fix (session.ts, onSnapshot): take the vector right after calling adoptSnapshot, before
  // awaiting it (`const adopting = this.space.adoptSnapshot(bytes); const vector =
  // this.space.versionVector(); adopted = await adopting;`), and merge that one into
  // peerKnows. The simulator works around it (restarting such a session) until then.
  // Found before 9b0ebe5 (since then the bug below strikes first).
  test('seed 1437', () =>
    replay({
      seed: 1437,
      ...{ slowDisks: true, topology: 'star' },
      faults: { crash: 0.03 },
      ops: 60,
    }));

  test('a write made while the snapshot is stored reaches the peer', async () => {
    const { disk, alice, bob } = await pairWithSlowDisk({ aliceEmpty: true });
    // Alice asked for a snapshot and adopted it; storing it waits for the disk.
    expect(alice.collection('notes').get('b0')).toBeDefined();
    void alice.collection('notes').insert({ id: 'n1' });
    disk.sync();
    await microtasks(100);
    void alice.collection('notes').insert({ id: 'n2' });
    disk.sync();
    await microtasks(100);
    disk.sync();
    await microtasks(100);
    expect(has(bob, 'alice')).toBe(2);
  });
});

describe('fixed: a push while a snapshot was adopted sent the snapshot back', () => {
  // adoptSnapshot swaps in the snapshot and tells listeners at once; a push that runs then,
  // with no await before it reads runs, still has the peer's hello vector (from before the
  // peer wrote), so it tries to send the snapshot's runs back, whose bodies a replica started
  // from a snapshot does not hold: history-unavailable, the session ends. (Since 9b0ebe5: push
  // used to await a flush first, by which time the session had recorded the snapshot.)
  // Fix (session.ts): no push while adopting (`if (this.adopting) return` in push); after
  // adoption, merge the snapshot's vector (read right after calling adoptSnapshot, before
  // awaiting it: that also fixes the bug above) into peerKnows, then push. The simulator works
  // around it (holding back change notifications while a snapshot is adopted) until then.
  for (const seed of [30, 46, 51]) {
    test(`seed ${seed}`, () => replay({ seed }));
  }

  test('a spoke starts from the snapshot of a peer that wrote after its hello', async () => {
    let time = 1_000;
    const hub = await (await openDatabase({ actor: 'hub', now: () => time++ })).space('s');
    const spoke = await (await openDatabase({ actor: 'spoke', now: () => time++ })).space('s');
    const [th, ts] = memoryTransportPair();
    const closed: string[] = [];
    const onClose = (reason: string) => closed.push(reason);
    new SyncSession(hub, th, 'hub', { requestSnapshot: false, onClose }).start();
    new SyncSession(spoke, ts, 'spoke', { onClose }).start();
    await hub.collection('notes').insert({ id: 'h1' }); // after the hub's hello left
    await microtasks(200);
    expect(closed).toEqual([]);
    expect(spoke.collection('notes').get('h1')).toBeDefined();
    await spoke.collection('notes').insert({ id: 's1' });
    await microtasks(200);
    expect(hub.collection('notes').get('s1')).toBeDefined();
  });
});

describe('fixed: a counter or set write under an object lost to an older register there', () => {
  // read.ts documents a field read as "the register's winning value or the nested object,
  // whichever was written last", but `newestIn` looked at nested registers only: counters and
  // set elements carried no stamp. So `d.stats = {}` on one replica and, later, concurrently,
  // `d.stats.views += 1` on another read as `stats: {}` everywhere: the increment was hidden.
  // Fix: counter entries and set adds carry their change's stamp (document/apply.ts), `newestIn`
  // counts them, and the state codec stores them (space state and snapshot format version 2).
  // (Found with `{}` written over `meta` and `stats` in the default workload, off until then;
  // of those seeds only 0 still fails without the fix, and 8, 38, 70 of the generator now.)
  for (const seed of [6, 37, 59, 0, 22, 47, 8, 38, 70])
    test(`seed ${seed}`, () => replay({ seed }));

  test('the later counter write wins over an earlier concurrent register', async () => {
    const options = { fields: { 'stats.views': 'counter' } } as const;
    const a = await (await memoryDb('alice', 2_000_000)).space('s'); // alice's clock is ahead
    const b = await (await memoryDb('bob', 1_000_000)).space('s');
    await a.collection('cards', options).insert({ id: 'c1', stats: { views: 0 } });
    await sync(a, b);
    await b.collection('cards', options).update('c1', (d) => {
      d.stats = {};
    });
    await a.collection('cards', options).update('c1', (d) => {
      (d.stats as { views: number }).views += 1;
    });
    await sync(a, b);
    expect(a.collection('cards', options).get('c1')).toEqual({ id: 'c1', stats: { views: 1 } });
    expect(b.collection('cards', options).get('c1')).toEqual({ id: 'c1', stats: { views: 1 } });
  });
});

describe('fixed: removing, replacing or deleting a text or list field left it in place', () => {
  // `fieldDots` (document/node.ts) listed registers, nested objects, counters and set adds but
  // not sequences, so the covers of `update({ body: undefined })`, of a put, of a delete and of
  // an insert over a deleted document all missed text and list fields: the old text read on.
  // (Found by the simulator's first text and list workload: 39 of seeds 0–39 failed.)
  for (const seed of [0, 1, 2]) test(`seed ${seed}`, () => replay({ seed }));

  test('update, put, delete and insert remove the old text and list', async () => {
    const db = await memoryDb('alice');
    const notes = (await db.space('s')).collection('notes', {
      fields: { body: 'text', items: 'list' },
    });
    await notes.insert({ id: 'n', body: 'hello', items: [1] });
    await notes.update('n', { body: undefined });
    expect(notes.get('n')).toEqual({ id: 'n', items: [1] });
    await notes.put({ id: 'n', title: 'replaced' });
    expect(notes.get('n')).toEqual({ id: 'n', title: 'replaced' });
    await notes.put({ id: 'n', body: 'again' });
    await notes.delete('n');
    await notes.insert({ id: 'n', title: 'back' });
    expect(notes.get('n')).toEqual({ id: 'n', title: 'back' });
  });
});

describe('fixed: cursor() and position() answered for a deleted document', () => {
  // A delete covers what its writer saw; a text field written concurrently stays in the node,
  // unread (delete wins). `sequenceOf` (database/sequence-edit.ts) did not check that the
  // document exists, so cursors and positions came from that hidden text.
  for (const seed of [1, 4, 5]) test(`seed ${seed}`, () => replay({ seed }));

  test('a document deleted while another replica rewrote its text has no cursors', async () => {
    const options = { fields: { body: 'text' } } as const;
    const a = await (await memoryDb('alice')).space('s');
    const b = await (await memoryDb('bob')).space('s');
    await a.collection('notes', options).insert({ id: 'n', body: 'old' });
    await sync(a, b);
    await a.collection('notes', options).delete('n');
    await b.collection('notes', options).put({ id: 'n', body: 'new' });
    await sync(a, b);
    const notes = a.collection('notes', options);
    expect(notes.get('n')).toBeUndefined();
    expect(() => notes.cursor('n', 'body', 0)).toThrow(InvalidValueError);
    expect(() => notes.position('n', 'body', { kind: 'start' })).toThrow(InvalidValueError);
  });
});
