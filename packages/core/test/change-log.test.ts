import { describe, expect, test } from 'vitest';
import {
  ChangeLog,
  ChangeRejectedError,
  computeRunHash,
  decodeRuns,
  encodeRuns,
  HybridClock,
  makeChange,
  type Run,
  runEnd,
  sealRun,
  vvEquals,
  Writer,
} from '../src/index.js';
import { iterations, type Prng, withSeed } from './helpers/prng.js';

const FILE = 'packages/core/test/change-log.test.ts';
const bytes = (...xs: number[]) => new Uint8Array(xs);

/** A replica: a log with its own actor and a clock on a fake, sometimes backward, wall time. */
function replica(actor: string, rng?: Prng) {
  let time = 1_000;
  const clock = new HybridClock(actor, { now: () => (time += rng ? rng.int(5) - 1 : 1) });
  const log = new ChangeLog(actor);
  return { actor, clock, log, write: (payload: Uint8Array) => log.append(clock.now(), payload) };
}

function snapshotOf(log: ChangeLog) {
  return {
    heads: log.getHeads(),
    vv: [...log.versionVector()].sort(),
    runs: log.runCount,
    pending: log.pendingCount,
    changes: [...log.changes()].length,
  };
}

function expectRejected(log: ChangeLog, run: Run, code: string): void {
  const before = snapshotOf(log);
  let caught: unknown;
  try {
    log.add(run);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ChangeRejectedError);
  expect((caught as ChangeRejectedError).code).toBe(code);
  expect(snapshotOf(log)).toEqual(before);
}

describe('local changes', () => {
  test('consecutive local changes form one run with one hash', () => {
    const a = replica('a');
    for (let i = 0; i < 1000; i++) a.write(bytes(i % 256));
    expect(a.log.runCount).toBe(1);
    expect(a.log.changeCount).toBe(1000);
    const [run] = a.log.runs();
    expect(run!.seq).toBe(1);
    expect(run!.changes).toHaveLength(1000);
    expect(a.log.getHeads()).toEqual([run!.hash]);
    // Stamps are delta-encoded: a keystroke costs a few bytes beyond its payload.
    expect(encodeRuns(a.log.runs()).length).toBeLessThan(1000 * 5);
  });

  test('a sealed run keeps the encoding of its fields, hashed once, and reads its changes back', () => {
    const a = replica('a');
    const w = new Writer();
    const payloads = [bytes(), bytes(7), new Uint8Array(300).fill(9), bytes(1, 2, 3)];
    a.log.append({ wall: 2 ** 48, logical: 0 }, payloads[0]!);
    for (const p of payloads.slice(1)) {
      w.reset();
      w.raw(p);
      const { wall, logical } = a.clock.now();
      a.log.appendWritten(wall + 2 ** 48, logical, w);
    }
    const open = [...a.log.changes()].map((c) => c.payload); // the run is still open
    expect(open).toEqual(payloads);
    const [run] = a.log.runs();
    // The next run reuses the builder's buffer: what was read before stays as it was.
    for (let i = 0; i < 4; i++) a.write(bytes(0xee, 0xee, 0xee));
    expect(open).toEqual(payloads);
    const plain = {
      actor: run!.actor,
      seq: run!.seq,
      deps: run!.deps,
      changes: run!.changes.map((c) => ({ ...c })),
    };
    expect(plain.changes.map((c) => c.payload)).toEqual(payloads);
    expect(computeRunHash(plain)).toBe(run!.hash);
    expect(encodeRuns([run!])).toEqual(encodeRuns([{ ...plain, hash: run!.hash }]));
    expect(runEnd(run!)).toBe(payloads.length);
    // A copy of its fields is a plain run, and verifies the same.
    expect(new ChangeLog().add({ ...run! }).applied).toHaveLength(1);
  });

  test('sealing ends a run; the next local change starts one that depends on it', () => {
    const a = replica('a');
    a.write(bytes(1));
    a.write(bytes(2));
    const [first] = a.log.getHeads();
    a.write(bytes(3));
    const runs = a.log.runs();
    expect(runs.map((r) => [r.seq, r.changes.length])).toEqual([
      [1, 2],
      [3, 1],
    ]);
    expect(runs[1]!.deps).toEqual([first]);
  });

  test('a remote change breaks the run: the next local change depends on both', () => {
    const a = replica('a');
    const b = replica('b');
    a.write(bytes(1));
    b.write(bytes(2));
    for (const run of b.log.runs()) a.log.add(run);
    a.write(bytes(3));
    const last = a.log.runs().at(-1)!;
    expect(last.seq).toBe(2);
    expect(last.deps).toEqual([a.log.runs()[0]!.hash, b.log.runs()[0]!.hash].sort());
  });

  test('twelve concurrent heads: one local change after them all depends on each, and is the one head', () => {
    const a = replica('a');
    const others = Array.from({ length: 12 }, (_, i) => replica(`peer-${i}`));
    for (const [i, other] of others.entries()) {
      other.write(bytes(i));
      for (const run of other.log.runs()) a.log.add(run);
    }
    const concurrent = others.map((o) => o.log.runs()[0]!.hash).sort();
    expect(a.log.getHeads()).toEqual(concurrent);
    a.write(bytes(99));
    const last = a.log.runs().at(-1)!;
    expect(last.deps).toEqual(concurrent);
    expect(a.log.getHeads()).toEqual([last.hash]);
    // And a peer that receives them all, in another order, agrees.
    const b = new ChangeLog();
    for (const run of [...a.log.runs()].reverse()) b.add(run);
    expect(b.getHeads()).toEqual([last.hash]);
  });

  test('append without a local actor explains what to do', () => {
    expect(() => new ChangeLog().append({ wall: 1, logical: 0 }, bytes())).toThrow(
      /no local actor/,
    );
  });
});

describe('remote changes', () => {
  test('a run whose deps are missing waits, then applies when they arrive', () => {
    const a = replica('a');
    a.write(bytes(1));
    a.log.seal();
    a.write(bytes(2));
    const [r1, r2] = a.log.runs();
    const b = new ChangeLog();
    const waiting = b.add(r2!);
    expect(waiting.pending).toBe(true);
    expect(b.pendingCount).toBe(1);
    expect(b.versionVector().size).toBe(0);
    const result = b.add(r1!);
    expect(result.applied.map((r) => r.hash)).toEqual([r1!.hash, r2!.hash]);
    expect(b.pendingCount).toBe(0);
    expect(b.getHeads()).toEqual(a.log.getHeads());
  });

  test('runs waiting for deps are capped: past the cap a run is refused, the log unchanged', () => {
    const a = replica('a');
    for (let i = 0; i < 5; i++) {
      a.write(bytes(i, i, i));
      a.log.seal();
    }
    const runs = a.log.runs();
    const byCount = new ChangeLog(undefined, { maxRuns: 3 });
    for (const run of runs.slice(1, 4)) expect(byCount.add(run).pending).toBe(true);
    expectRejected(byCount, runs[4]!, 'too-many-pending');
    // The first run unblocks the three waiting ones; then there is room again.
    expect(byCount.add(runs[0]!).applied).toHaveLength(4);
    expect(byCount.add(runs[4]!).applied).toHaveLength(1);

    const byBytes = new ChangeLog(undefined, { maxBytes: 30 });
    expect(byBytes.add(runs[1]!).pending).toBe(true);
    expectRejected(byBytes, runs[2]!, 'too-many-pending');
  });

  test('a duplicate is a no-op, applied or waiting', () => {
    const a = replica('a');
    a.write(bytes(1));
    a.log.seal();
    a.write(bytes(2));
    const [r1, r2] = a.log.runs();
    const b = new ChangeLog();
    b.add(r2!);
    expect(b.add(r2!).duplicate).toBe(true);
    b.add(r1!);
    const before = snapshotOf(b);
    expect(b.add(r1!).duplicate).toBe(true);
    expect(snapshotOf(b)).toEqual(before);
  });

  test('changesSince sends exactly what the other side lacks, in an order it can apply', () => {
    const a = replica('a');
    const b = replica('b');
    for (let i = 0; i < 3; i++) a.write(bytes(i));
    for (const run of a.log.changesSince(b.log.versionVector())) b.log.add(run);
    a.write(bytes(9));
    b.write(bytes(8));
    const missing = a.log.changesSince(b.log.versionVector());
    expect(missing.map((r) => [r.actor, r.seq])).toEqual([['a', 4]]);
    expect(a.log.changesSince(a.log.versionVector())).toEqual([]);
  });
});

describe('rejections leave the log exactly as it was', () => {
  function twoRuns() {
    const a = replica('a');
    a.write(bytes(1));
    a.log.seal();
    a.write(bytes(2));
    const [r1, r2] = a.log.runs();
    const b = new ChangeLog();
    b.add(r1!);
    return { r1: r1!, r2: r2!, b };
  }

  test('a tampered payload, stamp, dep or hash: bad-hash', () => {
    const { r2, b } = twoRuns();
    expectRejected(b, { ...r2, changes: [{ ...r2.changes[0]!, payload: bytes(99) }] }, 'bad-hash');
    expectRejected(b, { ...r2, changes: [{ ...r2.changes[0]!, wall: 5 }] }, 'bad-hash');
    expectRejected(
      b,
      { ...r2, hash: r2.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      'bad-hash',
    );
    expectRejected(b, { ...r2, actor: 'mallory' }, 'bad-hash');
    expectRejected(b, { ...r2, deps: ['0'.repeat(64)] }, 'bad-hash');
  });

  test('a reused seq with other content: equivocation', () => {
    const { r1, b } = twoRuns();
    const forged = sealRun({ ...r1, changes: [{ ...r1.changes[0]!, payload: bytes(7) }] });
    expectRejected(b, forged, 'equivocation');
  });

  test('equivocation against a waiting run is refused too', () => {
    const { r2 } = twoRuns();
    const c = new ChangeLog();
    c.add(r2);
    const rival = sealRun({ ...r2, changes: [{ ...r2.changes[0]!, payload: bytes(42) }] });
    expectRejected(c, rival, 'equivocation');
  });

  test('a seq gap that can never fill: seq-gap', () => {
    const { r1, b } = twoRuns();
    const skip = makeChange({
      actor: 'a',
      seq: 3,
      deps: [r1.hash],
      hlc: { wall: 9_999, logical: 0 },
      payload: bytes(),
    });
    expectRejected(b, skip, 'seq-gap');
    const orphan = makeChange({
      actor: 'a',
      seq: 5,
      deps: [],
      hlc: { wall: 9_999, logical: 0 },
      payload: bytes(),
    });
    expectRejected(b, orphan, 'seq-gap');
    const ownDep = makeChange({
      actor: 'z',
      seq: 1,
      deps: [r1.hash],
      hlc: { wall: 1, logical: 0 },
      payload: bytes(),
    });
    expect(b.add(ownDep).applied).toHaveLength(1);
    // seq 2 of z must name z's run ending at 1, not just something after it.
    const noOwnDep = makeChange({
      actor: 'z',
      seq: 2,
      deps: [r1.hash],
      hlc: { wall: 2, logical: 0 },
      payload: bytes(),
    });
    expectRejected(b, noOwnDep, 'seq-gap');
  });

  test('a waiting run found invalid once its deps arrive is reported and dropped', () => {
    const a = replica('a');
    a.write(bytes(1));
    const [r1] = a.log.runs();
    const c1 = makeChange({
      actor: 'c',
      seq: 1,
      deps: [],
      hlc: { wall: 1, logical: 0 },
      payload: bytes(),
    });
    // seq 3 of c, waiting on r1, claiming c's run ending at 1 as predecessor: a gap at seq 2.
    const gap = makeChange({
      actor: 'c',
      seq: 3,
      deps: [r1!.hash, c1.hash].sort(),
      hlc: { wall: 5, logical: 0 },
      payload: bytes(),
    });
    const b = new ChangeLog();
    b.add(c1);
    expectRejected(b, gap, 'seq-gap'); // known dep c1 already rules it out
    const gap2 = makeChange({
      actor: 'd',
      seq: 2,
      deps: [r1!.hash],
      hlc: { wall: 5, logical: 0 },
      payload: bytes(),
    });
    expect(b.add(gap2).pending).toBe(true);
    const result = b.add(r1!);
    expect(result.applied.map((r) => r.hash)).toEqual([r1!.hash]);
    expect(result.rejected.map((e) => e.code)).toEqual(['seq-gap']);
    expect(b.pendingCount).toBe(0);
  });

  test('malformed runs: invalid-change', () => {
    const { r2, b } = twoRuns();
    expectRejected(b, { ...r2, changes: [] }, 'invalid-change');
    expectRejected(b, { ...r2, seq: 0 }, 'invalid-change');
    expectRejected(b, { ...r2, deps: ['not-a-hash'] }, 'invalid-change');
    const backwards = sealRun({
      actor: 'q',
      seq: 1,
      deps: [],
      changes: [
        { wall: 10, logical: 0, payload: bytes() },
        { wall: 9, logical: 0, payload: bytes() },
      ],
    });
    expectRejected(b, backwards, 'invalid-change');
  });
});

describe('random DAGs from several actors converge', () => {
  /** Replicas write and sync at random; returns every run any of them sealed. */
  function randomHistory(rng: Prng) {
    const actors = ['a', 'b', 'c', 'd', 'e'].slice(0, 2 + rng.int(4));
    const replicas = actors.map((id) => replica(id, rng));
    const steps = 20 + rng.int(60);
    for (let i = 0; i < steps; i++) {
      const r = rng.pick(replicas);
      if (rng.chance(0.6)) {
        r.write(rng.bytes(rng.int(4)));
        if (rng.chance(0.3)) r.log.seal();
      } else {
        const other = rng.pick(replicas);
        for (const run of r.log.changesSince(other.log.versionVector())) other.log.add(run);
      }
    }
    const all = new Map<string, Run>();
    for (const r of replicas) for (const run of r.log.runs()) all.set(run.hash, run);
    return { replicas, runs: [...all.values()] };
  }

  test('delivered in random order with duplicates, every replica ends with the same heads and vector', () => {
    const rounds = iterations(200, 20_000);
    for (let round = 0; round < rounds; round++) {
      withSeed(
        FILE,
        'random DAGs',
        (rng) => {
          const { replicas, runs } = randomHistory(rng);
          // The writers exchange everything.
          for (const from of replicas)
            for (const to of replicas) {
              for (const run of from.log.changesSince(to.log.versionVector())) to.log.add(run);
            }
          const expected = replicas[0]!.log;
          for (const r of replicas) {
            expect(r.log.getHeads()).toEqual(expected.getHeads());
            expect(vvEquals(r.log.versionVector(), expected.versionVector())).toBe(true);
          }
          // Fresh replicas get every run in random order, with duplicates, through the byte format.
          for (let k = 0; k < 3; k++) {
            const fresh = new ChangeLog();
            const delivery = rng.shuffle([...runs, ...runs.filter(() => rng.chance(0.3))]);
            for (const run of decodeRuns(encodeRuns(delivery))) {
              const result = fresh.add(run);
              expect(result.rejected).toEqual([]);
            }
            expect(fresh.pendingCount).toBe(0);
            expect(fresh.getHeads()).toEqual(expected.getHeads());
            expect(vvEquals(fresh.versionVector(), expected.versionVector())).toBe(true);
            expect(
              fresh
                .runs()
                .map((r) => r.hash)
                .sort(),
            ).toEqual(runs.map((r) => r.hash).sort());
            // Causal iteration: every run comes after all of its deps.
            const seen = new Set<string>();
            for (const run of fresh.runs()) {
              for (const dep of run.deps) expect(seen.has(dep)).toBe(true);
              seen.add(run.hash);
            }
          }
        },
        round === 0 && process.env.WEFT_SEED ? Number(process.env.WEFT_SEED) : undefined,
      );
    }
  });
});
