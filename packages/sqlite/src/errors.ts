/** What went wrong, so callers can branch on it without parsing messages. */
export type SqliteStorageErrorCode =
  | 'closed' // the adapter was closed; open the storage again
  | 'locked' // another connection or process holds the database past the busy timeout
  | 'corrupt' // the file is not a SQLite database, or is damaged
  | 'not-writable' // the file or its directory cannot be created or written
  | 'newer-format' // written by a newer version of @weft/sqlite
  | 'disk-full'
  | 'io' // the operating system reported an I/O error
  | 'sqlite'; // any other SQLite failure

/** An error from SqliteStorage; `message` names the path and what to do, `cause` is the original. */
export class SqliteStorageError extends Error {
  override readonly name = 'SqliteStorageError';
  constructor(
    readonly code: SqliteStorageErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns an error from better-sqlite3 or node:fs into a SqliteStorageError that says what to do. */
export function storageError(path: string, action: string, error: unknown): SqliteStorageError {
  if (error instanceof SqliteStorageError) return error;
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const detail = error instanceof Error ? error.message : String(error);
  const where =
    path === ':memory:' || path === ''
      ? 'the in-memory SQLite storage'
      : `the SQLite storage at ${path}`;
  const is = (c: string) => code === c || code.startsWith(`${c}_`);
  const make = (kind: SqliteStorageErrorCode, advice: string) =>
    new SqliteStorageError(kind, path, `cannot ${action} ${where}: ${detail}. ${advice}`, {
      cause: error,
    });

  if (is('SQLITE_BUSY') || is('SQLITE_LOCKED'))
    return make(
      'locked',
      'Another connection or process is holding the database: close the other program or Weft instance using this file, or open a different path.',
    );
  if (is('SQLITE_NOTADB') || is('SQLITE_CORRUPT'))
    return make(
      'corrupt',
      'The file is not a SQLite database or is damaged: move it (and any -wal/-shm files next to it) aside or restore a backup, then open again to start a fresh database.',
    );
  if (
    is('SQLITE_READONLY') ||
    is('SQLITE_CANTOPEN') ||
    is('SQLITE_PERM') ||
    is('SQLITE_AUTH') ||
    ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR'].includes(code)
  )
    return make(
      'not-writable',
      'Choose a path in a writable directory (defaultDataDir() gives the usual one for this platform) or fix the permissions of the file and its directory.',
    );
  if (is('SQLITE_FULL') || code === 'ENOSPC')
    return make('disk-full', 'The disk is full: free some space and retry.');
  if (is('SQLITE_IOERR') || code === 'EIO')
    return make('io', 'Check the disk and the file system, then retry.');
  return make('sqlite', 'This is unexpected: please report it with the message above.');
}
