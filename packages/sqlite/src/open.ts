import { join } from 'node:path';
import { type Database, type DatabaseOptions, openDatabase } from '@weft/core';
import { defaultDataDir } from './data-dir.js';
import { SqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';

/** The database file inside a data directory. */
export const DATABASE_FILE = 'weft.sqlite';

export interface SqliteDatabaseOptions
  extends Omit<DatabaseOptions, 'storage'>,
    SqliteStorageOptions {
  /** The data directory. Default: `WEFT_DATA_DIR`, else the OS application data directory. */
  readonly dataDir?: string;
}

/**
 * Opens a Weft database stored in SQLite: the default on Node. The file is
 * `<dataDir>/weft.sqlite`; the directory is created if missing.
 */
export async function openSqliteDatabase(options: SqliteDatabaseOptions = {}): Promise<Database> {
  const { dataDir, busyTimeoutMs, ...rest } = options;
  const dir = dataDir ?? defaultDataDir();
  const storage = SqliteStorage.open(
    join(dir, DATABASE_FILE),
    busyTimeoutMs === undefined ? {} : { busyTimeoutMs },
  );
  try {
    return await openDatabase({ ...rest, storage });
  } catch (error) {
    await storage.close();
    throw error;
  }
}
