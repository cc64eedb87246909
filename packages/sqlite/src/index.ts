// @weft/sqlite: Weft storage in a SQLite file (better-sqlite3), for Node.

export { defaultDataDir } from './data-dir.js';
export type { SqliteStorageErrorCode } from './errors.js';
export { SqliteStorageError } from './errors.js';
export { databaseFileBytes } from './file-size.js';
export type { SqliteDatabaseOptions } from './open.js';
export { DATABASE_FILE, openSqliteDatabase } from './open.js';
export type { SqliteStorageOptions } from './sqlite-storage.js';
export { SqliteStorage } from './sqlite-storage.js';
