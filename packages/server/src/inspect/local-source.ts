import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, NotFoundError } from '@weft/core';
import { DATABASE_FILE, openSqliteDatabase } from '@weft/sqlite';
import type { InspectSource } from './source.js';

interface Handle {
  readonly db: Database;
  /** The file's size and time when opened: another process wrote if they changed. */
  readonly stamp: string;
  users: number;
  retired: boolean;
}

/**
 * A data directory for the inspector (`weft inspect --ui`): its database opened in this
 * process, and opened again when another process (`weft put`, a running `weft serve`) has
 * written the file since, so the page shows what is there now. It never writes: a replaced
 * database closes its storage only, without the snapshot a closing writer leaves behind.
 */
export class LocalSource implements InspectSource {
  readonly mode = 'local';
  readonly startedAt = Date.now();
  private refreshing: Promise<Handle> | undefined;

  private constructor(
    readonly dataDir: string,
    private current: Handle,
  ) {}

  static async open(dataDir: string): Promise<LocalSource> {
    return new LocalSource(dataDir, await openHandle(dataDir));
  }

  async use<R>(fn: (db: Database) => Promise<R>): Promise<R> {
    const handle = await this.fresh();
    handle.users += 1;
    try {
      return await fn(handle.db);
    } finally {
      handle.users -= 1;
      if (handle.retired && handle.users === 0) await release(handle);
    }
  }

  connections() {
    return [];
  }

  presence() {
    return [];
  }

  /** Everyone who can reach the port may read: it listens on 127.0.0.1 by default. */
  async reader() {
    return async () => true;
  }

  async close(): Promise<void> {
    await this.refreshing?.catch(() => {});
    this.current.retired = true;
    if (this.current.users === 0) await release(this.current);
  }

  /** The current handle, reopened first if the file changed (one reopen at a time). */
  private fresh(): Promise<Handle> {
    if (this.refreshing) return this.refreshing;
    if (fileStamp(this.dataDir) === this.current.stamp) return Promise.resolve(this.current);
    this.refreshing = openHandle(this.dataDir).then(
      async (next) => {
        const old = this.current;
        this.current = next;
        this.refreshing = undefined;
        old.retired = true;
        if (old.users === 0) await release(old);
        return next;
      },
      (error: unknown) => {
        this.refreshing = undefined;
        throw error;
      },
    );
    return this.refreshing;
  }
}

async function openHandle(dataDir: string): Promise<Handle> {
  if (fileStamp(dataDir) === 'missing') {
    throw new NotFoundError(
      `no Weft database in ${dataDir}; run \`weft init\` first, or point --data (or WEFT_DATA_DIR) at the right directory`,
    );
  }
  const db = await openSqliteDatabase({ dataDir });
  // Stamped after opening: opening may itself create the write-ahead log file.
  return { db, stamp: fileStamp(dataDir), users: 0, retired: false };
}

async function release(handle: Handle): Promise<void> {
  await handle.db.storage.close().catch(() => {});
}

function fileStamp(dataDir: string): string {
  const file = join(dataDir, DATABASE_FILE);
  const parts: string[] = [];
  for (const path of [file, `${file}-wal`]) {
    try {
      const s = statSync(path);
      parts.push(`${s.size}:${s.mtimeMs}`);
    } catch {
      if (path === file) return 'missing';
      parts.push('-');
    }
  }
  return parts.join('|');
}
