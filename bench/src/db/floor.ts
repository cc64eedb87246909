// The floor: raw better-sqlite3 doing the same work as Weft, with the pragmas of Weft's SQLite
// adapter (WAL, synchronous=FULL). One table `docs(id TEXT PRIMARY KEY, body TEXT)` with the
// document as JSON in `body`; ids come from the same generator Weft uses.
import { join } from 'node:path';
import { newDocId } from '@weft/core';
import Database from 'better-sqlite3';
import { dirSize, removeDir, tempDir } from '../lib/fs.js';
import { now } from '../lib/stats.js';
import type { Task } from './data.js';

export const FLOOR_FILE = 'floor.sqlite';

export type Row = Task & { id: string };

export function openFloor(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, body TEXT)');
  return db;
}

/** The SQL index the indexed query uses. */
export function createFloorIndex(db: Database.Database): void {
  db.exec(
    "CREATE INDEX IF NOT EXISTS docs_priority_n ON docs (json_extract(body, '$.priority'), json_extract(body, '$.n'))",
  );
}

export interface WriteResult {
  readonly ms: number;
  readonly bytes: number;
}

/** One transaction of `tasks.length` INSERTs, in a fresh directory. */
export function floorBulkInsert(root: string, tasks: readonly Task[]): WriteResult {
  const dir = tempDir(root, 'floor-bulk');
  try {
    const db = openFloor(join(dir, FLOOR_FILE));
    const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
    const t0 = now();
    db.transaction(() => {
      for (const task of tasks) insert.run(newDocId(), JSON.stringify(task));
    })();
    const ms = now() - t0;
    db.close();
    return { ms, bytes: dirSize(dir) };
  } finally {
    removeDir(dir);
  }
}

/** `tasks.length` autocommit INSERTs, each its own durable transaction, in a fresh directory. */
export function floorAckedInserts(root: string, tasks: readonly Task[]): WriteResult {
  const dir = tempDir(root, 'floor-acked');
  try {
    const db = openFloor(join(dir, FLOOR_FILE));
    const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
    const t0 = now();
    for (const task of tasks) insert.run(newDocId(), JSON.stringify(task));
    const ms = now() - t0;
    db.close();
    return { ms, bytes: dirSize(dir) };
  } finally {
    removeDir(dir);
  }
}

/** The read fixture: every task with its id, the SQL index, and prepared read statements. */
export class FloorFixture {
  readonly db: Database.Database;
  private readonly getStmt;
  private readonly indexedStmt;
  private readonly scanStmt;
  private readonly insertStmt;

  constructor(
    readonly dir: string,
    ids: readonly string[],
    tasks: readonly Task[],
  ) {
    this.db = openFloor(join(dir, FLOOR_FILE));
    const insert = this.db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
    this.db.transaction(() => {
      tasks.forEach((task, i) => {
        insert.run(ids[i], JSON.stringify(task));
      });
    })();
    createFloorIndex(this.db);
    this.db.exec('ANALYZE');
    this.getStmt = this.db.prepare('SELECT body FROM docs WHERE id = ?').pluck();
    this.indexedStmt = this.db
      .prepare(
        "SELECT id, body FROM docs WHERE json_extract(body, '$.priority') = ? AND json_extract(body, '$.n') >= ? ORDER BY json_extract(body, '$.n') LIMIT 100",
      )
      .raw();
    this.scanStmt = this.db
      .prepare(
        "SELECT id, body FROM docs WHERE json_extract(body, '$.owner') = ? AND json_extract(body, '$.title') GLOB ? ORDER BY id",
      )
      .raw();
    this.insertStmt = insert;
  }

  get(id: string): Task | undefined {
    const body = this.getStmt.get(id) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as Task);
  }

  /** `priority = p AND n >= from ORDER BY n LIMIT 100`, through the SQL index. */
  indexed(priority: number, from: number): Row[] {
    return rows(this.indexedStmt.all(priority, from) as [string, string][]);
  }

  /** `owner = owner AND title starts with prefix ORDER BY id`: a full table scan. */
  scan(owner: string, prefix: string): Row[] {
    return rows(this.scanStmt.all(owner, `${globEscape(prefix)}*`) as [string, string][]);
  }

  insert(id: string, task: Task): void {
    this.insertStmt.run(id, JSON.stringify(task));
  }

  queryPlans(): { indexed: string; scan: string } {
    const plan = (sql: string, ...args: unknown[]) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    return {
      indexed: plan(
        "SELECT id, body FROM docs WHERE json_extract(body, '$.priority') = ? AND json_extract(body, '$.n') >= ? ORDER BY json_extract(body, '$.n') LIMIT 100",
        3,
        0,
      ),
      scan: plan(
        "SELECT id, body FROM docs WHERE json_extract(body, '$.owner') = ? AND json_extract(body, '$.title') GLOB ? ORDER BY id",
        'u17',
        'task 1*',
      ),
    };
  }

  close(): number {
    this.db.close();
    return dirSize(this.dir);
  }
}

function rows(raw: readonly [string, string][]): Row[] {
  return raw.map(([id, body]) => {
    const row = JSON.parse(body) as Row;
    row.id = id;
    return row;
  });
}

function globEscape(text: string): string {
  return text.replace(/[*?[]/g, (c) => `[${c}]`);
}

export interface HistoryBuild {
  readonly ms: number;
  readonly bytes: number;
}

/**
 * The floor of the history benchmark: the same inserts and updates as statements, committed
 * in transactions of `burst` statements (as Weft group-commits its bursts). SQLite keeps only
 * the final state; there is no history to open.
 */
export function floorBuildHistory(
  file: string,
  ids: readonly string[],
  tasks: readonly Task[],
  updates: number,
  burst: number,
): number {
  const db = openFloor(file);
  const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
  const update = db.prepare('UPDATE docs SET body = ? WHERE id = ?');
  const docs = tasks.map((t) => ({ ...t }));
  const t0 = now();
  for (let start = 0; start < docs.length; start += burst) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + burst, docs.length); i++)
        insert.run(ids[i], JSON.stringify(docs[i]));
    })();
  }
  for (let start = 0; start < updates; start += burst) {
    db.transaction(() => {
      for (let j = start; j < Math.min(start + burst, updates); j++) {
        const i = j % docs.length;
        const doc = docs[i]!;
        doc.n = docs.length + j;
        update.run(JSON.stringify(doc), ids[i]);
      }
    })();
  }
  const ms = now() - t0;
  db.close();
  return ms;
}

/** Opening the file with the adapter's pragmas and counting the rows. */
export function floorOpenCount(file: string): { ms: number; count: number } {
  const t0 = now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const count = db.prepare('SELECT count(*) FROM docs').pluck().get() as number;
  const ms = now() - t0;
  db.close();
  return { ms, count };
}
