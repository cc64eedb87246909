import { expect, test } from 'vitest';
import { nextTurnQueue } from '../src/next-turn.js';

test('callbacks run on the next turn, in order, all in one turn', async () => {
  const schedule = nextTurnQueue();
  const ran: string[] = [];
  schedule(() => ran.push('a'));
  schedule(() => {
    ran.push('b');
    schedule(() => ran.push('later')); // scheduled while running: the turn after
  });
  schedule(() => ran.push('c'));
  expect(ran).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(ran).toEqual(['a', 'b', 'c']);
  await new Promise((resolve) => setImmediate(resolve));
  expect(ran).toEqual(['a', 'b', 'c', 'later']);
});

test('a callback that throws does not cost the others their turn', async () => {
  const schedule = nextTurnQueue();
  const ran: string[] = [];
  const thrown: unknown[] = [];
  const onError = (error: unknown) => thrown.push(error);
  process.on('uncaughtException', onError);
  try {
    schedule(() => {
      throw new Error('boom');
    });
    schedule(() => ran.push('after'));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['after']);
    expect(thrown).toHaveLength(1);
  } finally {
    process.off('uncaughtException', onError);
  }
});

test('without setImmediate (browsers), a MessageChannel message carries the turn', async () => {
  const platform = globalThis as { setImmediate?: typeof setImmediate | undefined };
  const saved = platform.setImmediate;
  let schedule: (callback: () => void) => void;
  delete platform.setImmediate;
  try {
    schedule = nextTurnQueue();
  } finally {
    platform.setImmediate = saved;
  }
  const ran: string[] = [];
  schedule(() => ran.push('a'));
  schedule(() => ran.push('b'));
  await Promise.resolve();
  expect(ran).toEqual([]); // not a microtask
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(ran).toEqual(['a', 'b']);
});
