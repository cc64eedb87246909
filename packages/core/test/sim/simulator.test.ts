import { describe, expect, test } from 'vitest';
import {
  decodeMessage,
  defaultWorkload,
  type SimFaultCounts,
  SimulationError,
  simulate,
  type Workload,
} from '../../src/index.js';
import { seedRuns } from './seeds.js';

// Half of the default run's seeds (500 of 200 operations; 100,000 under test:long); the other
// half is in simulator-seeds.test.ts, which vitest runs in parallel.
seedRuns('packages/core/test/sim/simulator.test.ts', 0, 2);

describe('the simulator', () => {
  test('strikes with every kind of fault, and crashes lose unacknowledged writes', async () => {
    const total: Partial<Record<keyof SimFaultCounts, number>> = {};
    // (Which seeds lose a change in a crash depends on how writes interleave; 24 seeds hold
    // several that do.)
    for (let seed = 1; seed <= 24; seed++) {
      const report = await simulate({ seed, ops: 150, slowDisks: seed % 2 === 0 });
      for (const [k, v] of Object.entries(report.faults))
        total[k as keyof SimFaultCounts] = (total[k as keyof SimFaultCounts] ?? 0) + v;
    }
    for (const kind of [
      'drops',
      'disconnects',
      'duplicated',
      'reordered',
      'delayed',
      'deadLinks',
      'lost',
      'crashes',
      'restarts',
      'shutdowns',
      'lostChanges',
      'partitions',
      'heals',
      'feeds',
      'clockJumps',
    ] as const) {
      expect(total[kind], kind).toBeGreaterThan(0);
    }
  });

  test('replays a seed exactly', async () => {
    const a = await simulate({ seed: 42, ops: 120 });
    const b = await simulate({ seed: 42, ops: 120 });
    expect(b).toEqual(a);
    const c = await simulate({ seed: 43, ops: 120 });
    expect(c.heads).not.toEqual(a.heads);
  });

  test('runs 2 to 8 replicas in every topology', async () => {
    for (const topology of ['mesh', 'star', 'ring'] as const) {
      for (const replicas of [2, 5, 8]) {
        const report = await simulate({ seed: replicas, replicas, topology, ops: 60 });
        expect(report).toMatchObject({ replicas, topology, ops: 60 });
      }
    }
    await expect(simulate({ seed: 1, replicas: 1 })).rejects.toThrow(RangeError);
    await expect(simulate({ seed: 1, replicas: 9 })).rejects.toThrow(RangeError);
  });

  test('fails when a replica silently misses changes', async () => {
    // Replica 1 never gets `changes` messages, though its connections stay up.
    const run = simulate({
      seed: 7,
      replicas: 3,
      topology: 'mesh',
      ops: 60,
      faults: false,
      hooks: { deliver: (m) => m.to !== 1 || decodeMessage(m.bytes).kind !== 'changes' },
    });
    await expect(run).rejects.toThrow(SimulationError);
    await expect(run).rejects.toThrow(/stopped syncing|expected/);
  });

  test('fails when a replica holds a write the oracle never saw', async () => {
    const run = simulate({
      seed: 1,
      replicas: 2,
      ops: 60,
      faults: false,
      hooks: {
        afterStep(world) {
          const r = world.replicas[1]!;
          if (world.step === 30 && r.up) void r.collection('notes').put({ id: 'rogue', x: 1 });
        },
      },
    });
    await expect(run).rejects.toThrow(SimulationError);
    await expect(run).rejects.toThrow(/a write the simulator did not make/);
  });

  test('fails when bytes are corrupted on the way (the session ends with an error)', async () => {
    let corrupted = false;
    const run = simulate({
      seed: 9,
      replicas: 2,
      ops: 80,
      faults: false,
      hooks: {
        deliver(m) {
          if (!corrupted && decodeMessage(m.bytes).kind === 'changes') {
            corrupted = true;
            m.bytes[m.bytes.length - 1]! ^= 0xff;
          }
          return true;
        },
      },
    });
    await expect(run).rejects.toThrow(/closed with an error/);
  });

  test('a failure names its seed and the last steps', async () => {
    const error = await simulate({
      seed: 10,
      replicas: 2,
      ops: 40,
      faults: false,
      hooks: {
        afterStep(world) {
          if (world.step === 20) throw new Error('an app invariant broke');
        },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationError);
    const e = error as SimulationError;
    expect(e.seed).toBe(10);
    expect(e.step).toBe(20);
    expect(e.message).toMatch(/seed 10 .*an app invariant broke/s);
    expect(e.trace.length).toBeGreaterThan(0);
  });

  test('runs a workload of your own (the README example)', async () => {
    // Your data model and what your users do, as operations the oracle understands.
    const tasks: Workload = {
      collections: { tasks: { fields: { done: 'counter', labels: 'set' } } },
      nextOp({ rng, ids }) {
        const existing = ids('tasks');
        if (existing.length === 0 || rng.chance(0.2)) {
          const doc = { id: `t${rng.int(5)}`, title: 'task', done: 0, labels: [] };
          return { kind: 'put', collection: 'tasks', doc };
        }
        const id = rng.pick(existing);
        if (rng.chance(0.1)) return { kind: 'delete', collection: 'tasks', id };
        const edit = rng.chance(0.5)
          ? ({ op: 'increment', path: ['done'], by: 1 } as const)
          : ({ op: 'push', path: ['labels'], value: rng.pick(['a', 'b']) } as const);
        return { kind: 'edit', collection: 'tasks', id, edits: [edit] }; // update(id, d => …)
      },
    };
    for (let seed = 0; seed < 5; seed++) {
      const report = await simulate({ seed, workload: tasks, ops: 100 });
      expect(report.changes).toBeGreaterThan(0);
    }
    // The default workload, explicitly.
    await simulate({ seed: 3, workload: defaultWorkload(), ops: 50 });
  });
});
