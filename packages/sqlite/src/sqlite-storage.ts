import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type StorageAdapter,
  type StorageEntry,
  type StorageKey,
  type StorageOp,
  validateOp,
} from '@weft/core';
import Database from 'better-sqlite3';
import { SqliteStorageError, storageError } from './errors.js';
import { decodeKey, encodeKey, prefixBounds, withoutNul } from './key-encoding.js';

export interface SqliteStorageOptions {
  /**
   * How long a read or write waits for another connection's lock before failing with a
   * 'locked' SqliteStorageError, in milliseconds. Default 5000.
   */
  readonly busyTimeoutMs?: number;
}

/** The on-disk format this version writes; kept in `PRAGMA user_version`. */
const FORMAT_VERSION = 1;

type Row = [key: Buffer, value: Buffer];

/**
 * Storage in a SQLite database file, through better-sqlite3: one table of BLOB keys (encoded
 * so that SQLite's byte order is `compareKeys` order, see key-encoding.ts) and BLOB values.
 *
 * better-sqlite3 is synchronous, so every method does its work before it returns; the
 * promises are there for the StorageAdapter contract, and errors arrive as rejections.
 */
export class SqliteStorage implements StorageAdapter {
  private db: Database.Database | undefined;
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly applyBatch: (ops: readonly StorageOp[]) => void;

  private constructor(
    /** The database file, or ':memory:'. */
    readonly path: string,
    db: Database.Database,
  ) {
    this.db = db;
    const stmt = prepare(db);
    this.stmt = stmt;
    const apply = db.transaction((ops: readonly StorageOp[]) => {
      for (const op of ops) {
        if (op.op === 'put') stmt.put.run(encodeKey(op.key), asBuffer(op.data));
        else if (op.op === 'delete') stmt.delete.run(encodeKey(op.key));
        else {
          const { lower, upper } = prefixBounds(op.prefix);
          if (upper) stmt.deleteRange.run(lower, upper);
          else stmt.deleteAll.run();
        }
      }
    });
    // IMMEDIATE takes the write lock up front, so waiting for another writer goes through the
    // busy timeout instead of failing midway.
    this.applyBatch = apply.immediate;
  }

  /**
   * Opens (creating if missing, with its parent directory) the database at `path`; ':memory:'
   * gives a private in-memory database that vanishes on close. Throws a SqliteStorageError
   * naming the path when the file cannot be created, is locked, or is not a database.
   */
  static open(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
    const inMemory = path === ':memory:' || path === '';
    let db: Database.Database | undefined;
    try {
      if (!inMemory) mkdirSync(dirname(path), { recursive: true });
      // `timeout` is SQLite's busy_timeout: how long to wait for another connection's lock.
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
      // WAL: readers do not block the writer, and a commit is one sequential append.
      db.pragma('journal_mode = WAL');
      // FULL: every commit is fsynced before it returns, so a batch is acknowledged only when
      // it is durable (the contract). NORMAL would be faster, but in WAL mode it can lose the
      // last commits on power loss.
      db.pragma('synchronous = FULL');
      migrate(db, path);
      return new SqliteStorage(path, db);
    } catch (error) {
      try {
        db?.close();
      } catch {
        // the open error is the one worth reporting
      }
      throw storageError(path, 'open', error);
    }
  }

  async get(key: StorageKey): Promise<Uint8Array | undefined> {
    const stmt = this.check();
    checkKeyShape(key);
    // No stored key contains NUL (validateOp refuses them), and NUL would alias the encoding.
    if (key.some((part) => part.includes('\u0000'))) return undefined;
    try {
      const value = stmt.get.get(encodeKey(key)) as Buffer | undefined;
      return value && asUint8Array(value);
    } catch (error) {
      throw storageError(this.path, 'read from', error);
    }
  }

  async range(prefix: StorageKey, from?: StorageKey, before?: StorageKey): Promise<StorageEntry[]> {
    const stmt = this.check();
    checkKeyShape(prefix);
    if (from) checkKeyShape(from);
    if (before) checkKeyShape(before);
    if (prefix.some((part) => part.includes('\u0000'))) return [];
    const bounds = prefixBounds(prefix);
    let lower = bounds.lower;
    let upper = bounds.upper;
    if (from) {
      const start = encodeKey(withoutNul(from));
      if (Buffer.compare(start, lower) > 0) lower = start;
    }
    if (before) {
      // Stored keys compare with withoutNul(before) exactly as with `before` (see there).
      const end = encodeKey(withoutNul(before));
      if (!upper || Buffer.compare(end, upper) < 0) upper = end;
    }
    if (upper && Buffer.compare(lower, upper) >= 0) return [];
    try {
      const rows = (
        upper ? stmt.rangeBounded.all(lower, upper) : stmt.rangeFrom.all(lower)
      ) as Row[];
      return rows.map(([key, value]) => ({ key: decodeKey(key), data: asUint8Array(value) }));
    } catch (error) {
      throw storageError(this.path, 'read from', error);
    }
  }

  async batch(ops: readonly StorageOp[]): Promise<void> {
    this.check();
    // Every op is checked before anything is written: a refused batch writes nothing.
    for (const op of ops) validateOp(op);
    if (ops.length === 0) return;
    try {
      this.applyBatch(ops);
    } catch (error) {
      throw storageError(this.path, 'write to', error);
    }
  }

  async close(): Promise<void> {
    const db = this.db;
    if (!db) return;
    this.db = undefined;
    try {
      db.close();
    } catch (error) {
      throw storageError(this.path, 'close', error);
    }
  }

  private check(): ReturnType<typeof prepare> {
    if (!this.db)
      throw new SqliteStorageError(
        'closed',
        this.path,
        `this SqliteStorage (${this.path}) is closed; open it again with SqliteStorage.open()`,
      );
    return this.stmt;
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > FORMAT_VERSION)
    throw new SqliteStorageError(
      'newer-format',
      path,
      `the SQLite storage at ${path} has format ${version}, newer than the ${FORMAT_VERSION} this @weft/sqlite understands; upgrade @weft/sqlite to open it`,
    );
  if (version === FORMAT_VERSION) return;
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID',
    );
    db.pragma(`user_version = ${FORMAT_VERSION}`);
  }).immediate();
}

/** The statements, prepared once per connection and reused. */
function prepare(db: Database.Database) {
  return {
    get: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
    rangeBounded: db
      .prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key')
      .raw(),
    rangeFrom: db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key').raw(),
    put: db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)'),
    delete: db.prepare('DELETE FROM kv WHERE key = ?'),
    deleteRange: db.prepare('DELETE FROM kv WHERE key >= ? AND key < ?'),
    deleteAll: db.prepare('DELETE FROM kv'),
  };
}

function checkKeyShape(key: StorageKey): void {
  if (!Array.isArray(key) || key.some((part) => typeof part !== 'string'))
    throw new TypeError('a storage key is an array of strings without NUL characters');
}

/** A view of the caller's bytes for binding; SQLite copies them. */
function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** A plain Uint8Array over a fresh Buffer from SQLite (a Buffer's `slice` would alias). */
function asUint8Array(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
