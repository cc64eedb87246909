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
