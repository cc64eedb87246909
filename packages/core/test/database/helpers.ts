import { type Database, MemoryStorage, openDatabase, type Space } from '../../src/index.js';

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
