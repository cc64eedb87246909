import { type Database, MemoryStorage, openDatabase, type Space } from '../../src/index.js';
import type { Prng } from '../helpers/prng.js';

/** A database on fresh memory storage with a deterministic clock. */
export async function memoryDb(actor: string, start = 1_000_000): Promise<Database> {
  let time = start;
  return openDatabase({ storage: new MemoryStorage(), actor, now: () => (time += 1) });
}

/** Sends each side what the other lacks, both ways. */
export async function sync(a: Space, b: Space): Promise<void> {
  await b.receive(a.changesSince(b.versionVector()));
  await a.receive(b.changesSince(a.versionVector()));
}

/** Sends `to` what it lacks from `from`: all of it, or (partial) a shuffled 60% of the runs. */
export async function exchange(rng: Prng, from: Space, to: Space, partial: boolean): Promise<void> {
  let runs = from.changesSince(to.versionVector());
  if (partial) runs = rng.shuffle(runs.filter(() => rng.chance(0.6)));
  await to.receive(runs);
}
