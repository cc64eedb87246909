import { newDocId } from '@weft/core';
import { randomInt, seededRandom } from '../lib/random.js';

/** The document every benchmark writes: small, flat, five fields. */
export interface Task {
  title: string;
  status: string;
  priority: number;
  owner: string;
  n: number;
}

export const STATUSES = ['open', 'done', 'blocked', 'review'] as const;

/** `count` tasks, the same ones for a given seed: `n` is the index, 0..count-1. */
export function makeTasks(count: number, seed = 1): Task[] {
  const random = seededRandom(seed);
  const tasks: Task[] = new Array(count);
  for (let i = 0; i < count; i++) {
    tasks[i] = {
      title: `task ${i}`,
      status: STATUSES[randomInt(random, STATUSES.length)]!,
      priority: randomInt(random, 10),
      owner: `u${randomInt(random, 100)}`,
      n: i,
    };
  }
  return tasks;
}

/** Fresh document ids, made the way Weft makes them. */
export function makeIds(count: number): string[] {
  const ids: string[] = new Array(count);
  for (let i = 0; i < count; i++) ids[i] = newDocId();
  return ids;
}
