// Weft doing the benchmark work on its real SQLite storage (openSqliteDatabase).
import type { Collection, Database, QuerySpec, Space } from '@weft/core';
import { openSqliteDatabase } from '@weft/sqlite';
import { dirSize, removeDir, tempDir } from '../lib/fs.js';
import { now } from '../lib/stats.js';
import type { Task } from './data.js';
import type { WriteResult } from './floor.js';

export const SPACE = 'bench';
export const COLLECTION = 'tasks';

export interface Opened {
  readonly db: Database;
  readonly space: Space;
}

export async function openWeft(dataDir: string): Promise<Opened> {
  const db = await openSqliteDatabase({ dataDir });
  const space = await db.space(SPACE);
  return { db, space };
}

/**
 * Every task in one transaction, awaited until durable, in a fresh directory: with the bulk
 * API (`insertMany`), or `insert` called N times inside one `transact`.
 */
export async function weftBulkInsert(
  root: string,
  tasks: readonly Task[],
  how: 'insertMany' | 'insert loop' = 'insertMany',
): Promise<WriteResult> {
  const dir = tempDir(root, 'weft-bulk');
  try {
    const { db, space } = await openWeft(dir);
    const tasksCollection = space.collection<Task>(COLLECTION);
    const t0 = now();
    if (how === 'insertMany') await tasksCollection.insertMany(tasks);
    else {
      await space.transact(() => {
        for (const task of tasks) void tasksCollection.insert(task);
      });
    }
    const ms = now() - t0;
    await db.close();
    return { ms, bytes: dirSize(dir) };
  } finally {
    removeDir(dir);
  }
}

/** Every task as its own acknowledged write: `await insert()` one after the other. */
export async function weftAckedInserts(root: string, tasks: readonly Task[]): Promise<WriteResult> {
  const dir = tempDir(root, 'weft-acked');
  try {
    const { db, space } = await openWeft(dir);
    const tasksCollection = space.collection<Task>(COLLECTION);
    const t0 = now();
    for (const task of tasks) await tasksCollection.insert(task);
    const ms = now() - t0;
    await db.close();
    return { ms, bytes: dirSize(dir) };
  } finally {
    removeDir(dir);
  }
}

/** The indexed query of the benchmarks, as Weft spells it. */
export function indexedQuery(priority: number, from: number): QuerySpec {
  return { where: { priority, n: { gte: from } }, orderBy: 'n', limit: 100 };
}

/** The full-scan query: no index covers owner or title. */
export function scanQuery(owner: string, prefix: string): QuerySpec {
  return { where: { owner, title: { startsWith: prefix } } };
}

export const INDEXES = [['priority', 'n']] as const;

/** The read fixture: every task with its id in one transaction, with the (priority, n) index. */
export class WeftFixture {
  private constructor(
    readonly dir: string,
    readonly opened: Opened,
    readonly tasks: Collection<Task>,
  ) {}

  static async build(
    dir: string,
    ids: readonly string[],
    tasks: readonly Task[],
  ): Promise<WeftFixture> {
    const opened = await openWeft(dir);
    const collection = opened.space.collection<Task>(COLLECTION, {
      indexes: INDEXES.map((fields) => [...fields]),
    });
    await opened.space.transact(() => {
      tasks.forEach((task, i) => void collection.insert({ ...task, id: ids[i]! }));
    });
    return new WeftFixture(dir, opened, collection);
  }

  async close(): Promise<number> {
    await this.opened.db.close();
    return dirSize(this.dir);
  }
}

export interface HistoryStats {
  readonly ms: number;
  readonly changes: number;
  readonly runs: number;
  readonly logBytes: number;
  readonly snapshotBytes: number;
}

/**
 * Builds a space with `tasks.length` documents and `tasks.length + updates` changes: every
 * insert and update is its own transaction (one change), issued without awaiting each, so a
 * burst is group-committed; every `burst` writes we wait for durability.
 */
// Each update sets `n` to a new value, so no update is a no-op (an empty transaction is no change).
export async function weftBuildHistory(
  dataDir: string,
  ids: readonly string[],
  tasks: readonly Task[],
  updates: number,
  burst: number,
  progress: (done: number) => void,
): Promise<HistoryStats> {
  const { db, space } = await openWeft(dataDir);
  const collection = space.collection<Task>(COLLECTION);
  const pending: Promise<unknown>[] = [];
  const drain = async (done: number) => {
    await Promise.all(pending);
    pending.length = 0;
    progress(done);
  };
  const t0 = now();
  for (let i = 0; i < tasks.length; i++) {
    pending.push(collection.insert({ ...tasks[i]!, id: ids[i]! }));
    if (pending.length >= burst) await drain(i + 1);
  }
  for (let j = 0; j < updates; j++) {
    pending.push(collection.update(ids[j % ids.length]!, { n: tasks.length + j }));
    if (pending.length >= burst) await drain(tasks.length + j + 1);
  }
  await drain(tasks.length + updates);
  await space.flush();
  const ms = now() - t0;
  const stats = space.stats();
  const size = await space.storageSize();
  await db.close();
  return {
    ms,
    changes: stats.changes,
    runs: stats.runs,
    logBytes: size.log,
    snapshotBytes: size.snapshot,
  };
}

/** Opening the database and the space, then the first `count()`. */
export async function weftOpenCount(dataDir: string): Promise<{ ms: number; count: number }> {
  const t0 = now();
  const db = await openSqliteDatabase({ dataDir });
  const space = await db.space(SPACE);
  const count = space.collection(COLLECTION).count();
  const ms = now() - t0;
  await db.close();
  return { ms, count };
}
