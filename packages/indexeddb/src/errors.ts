/** What went wrong, so callers can branch on it without parsing messages. */
export type IndexedDbErrorCode =
  | 'unavailable' // no IndexedDB here (an insecure or sandboxed context, some private modes)
  | 'blocked' // another tab holds the database open at an older version and does not close it
  | 'quota' // the browser refused to store more (disk or per-origin quota full)
  | 'closed' // the adapter was closed (or the browser closed the connection); open it again
  | 'failed'; // any other failure IndexedDB reported

/** An error from IndexedDbStorage; `message` names the database and what to do. */
export class IndexedDbError extends Error {
  override readonly name = 'IndexedDbError';
  constructor(
    readonly code: IndexedDbErrorCode,
    readonly database: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns what IndexedDB threw or reported (a DOMException, mostly) into an IndexedDbError. */
export function indexedDbError(database: string, action: string, error: unknown): IndexedDbError {
  if (error instanceof IndexedDbError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  const make = (code: IndexedDbErrorCode, advice: string) =>
    new IndexedDbError(
      code,
      database,
      `cannot ${action} the IndexedDB database "${database}": ${detail || String(name)}. ${advice}`,
      { cause: error },
    );
  if (name === 'QuotaExceededError')
    return make(
      'quota',
      'The browser refused to store more: free disk space, clear this site data you no longer need, or ask for persistent storage (navigator.storage.persist()).',
    );
  if (name === 'InvalidStateError' || name === 'SecurityError')
    return make(
      'unavailable',
      'This browsing context cannot use IndexedDB (a private window of some browsers, a sandboxed iframe, or storage blocked in the site settings): allow site data for this site, or open the app in a normal window.',
    );
  if (name === 'VersionError')
    return make(
      'failed',
      'The database was written by a newer version of this app: reload the page to get the new version.',
    );
  return make('failed', 'Reload the page; if it persists, report it with the message above.');
}
