// Helpers shared by the sync benchmarks.
import { type Collection, MemoryStorage, type StorageAdapter, type StorageEntry } from '@weft/core';
import type { Task } from '../db/data.js';

export const SPACE = 'bench';
export const COLLECTION = 'tasks';
/** Documents per `insertMany` when building a space: 100,000 docs are 100 transactions. */
export const INSERT_BATCH = 1000;

/** A storage whose `close` does nothing, so its entries can be read after the database closes. */
export function keepOpen(storage: StorageAdapter): StorageAdapter {
  return {
    get: (key) => storage.get(key),
    range: (prefix, from) => storage.range(prefix, from),
    batch: (ops) => storage.batch(ops),
    close: async () => {},
  };
}

/** Every entry of a storage (to copy it). */
export function dumpStorage(storage: StorageAdapter): Promise<StorageEntry[]> {
  return storage.range([]);
}

/** A fresh MemoryStorage holding copies of `entries`. */
export async function restoreStorage(entries: readonly StorageEntry[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  await storage.batch(entries.map((e) => ({ op: 'put' as const, key: e.key, data: e.data })));
  return storage;
}

/** Inserts the tasks with their ids, `INSERT_BATCH` per transaction, each awaited. */
export async function insertTasks(
  collection: Collection<Task>,
  ids: readonly string[],
  tasks: readonly Task[],
): Promise<void> {
  for (let i = 0; i < tasks.length; i += INSERT_BATCH) {
    const batch = tasks.slice(i, i + INSERT_BATCH).map((task, j) => ({ ...task, id: ids[i + j]! }));
    await collection.insertMany(batch);
  }
}

/** Rejects with a clear message if `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves on the next turn of the event loop (after pending I/O). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const count = (n: number) => n.toLocaleString('en-US');

export function log(message: string): void {
  process.stderr.write(`[bench:sync] ${message}\n`);
}
