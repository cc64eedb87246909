/**
 * Every error Weft throws on purpose is a WeftError with a stable `code`, so callers can branch
 * on it and it can cross the wire (`toJSON` / `fromJSON`).
 */
export type WeftErrorCode =
  | 'decode' // bytes from outside are not a valid encoding
  | 'invalid-value' // a value that cannot be stored (undefined, a function, a cycle…)
  | 'clock-drift' // a remote clock is further ahead than the allowed drift
  | 'bad-hash' // a change's hash does not match its content
  | 'seq-gap' // a change skips its actor's previous change; the gap can never fill
  | 'equivocation' // an actor reused a seq with different content
  | 'invalid-change' // a change breaks a structural rule (empty run, bad deps…)
  | 'too-many-pending' // too many runs wait for deps: the sender must send in causal order
  | 'history-not-loaded' // old changes live in storage; the caller must load them first
  | 'history-unavailable' // this replica started from a snapshot: it has no changes before it
  | 'invalid-query' // a query, order, cursor or index spec is malformed
  | 'schema' // a write does not pass the collection's schema
  | 'not-found' // the document does not exist
  | 'already-exists' // insert of an id that exists
  | 'storage' // the storage adapter failed; the database must be reopened
  | 'closed' // the database was closed
  | 'protocol' // a sync peer sent something the protocol does not allow
  | 'invalid-position' // a text/list position out of range, or inside a surrogate pair
  | 'missing-dependency' // a text/list op names ids this replica does not have yet
  | 'invalid-origins'; // a text/list insert whose right origin is not after its left one

export class WeftError extends Error {
  override readonly name: string = 'WeftError';
  constructor(
    readonly code: WeftErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { name: string; code: WeftErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }

  static fromJSON(json: { code: WeftErrorCode; message: string }): WeftError {
    return new WeftError(json.code, json.message);
  }
}

/** Bytes that are not a valid Weft encoding. Decoders throw only this. */
export class DecodeError extends WeftError {
  override readonly name = 'DecodeError';
  constructor(
    message: string,
    readonly offset = -1,
  ) {
    super('decode', offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

export class InvalidValueError extends WeftError {
  override readonly name = 'InvalidValueError';
  constructor(message: string) {
    super('invalid-value', message);
  }
}

export class ClockDriftError extends WeftError {
  override readonly name = 'ClockDriftError';
  constructor(message: string) {
    super('clock-drift', message);
  }
}

export type ChangeRejection =
  | 'bad-hash'
  | 'seq-gap'
  | 'equivocation'
  | 'invalid-change'
  | 'too-many-pending';

/** A change the log refused. The log is exactly as it was before the call. */
export class ChangeRejectedError extends WeftError {
  override readonly name = 'ChangeRejectedError';
  constructor(code: ChangeRejection, message: string) {
    super(code, message);
  }
}

/**
 * A run whose body is in storage only (older than a snapshot, or than the newest runs kept in
 * memory) was asked for from memory: read it with `Space.changesSinceStored`.
 */
export class HistoryNotLoadedError extends WeftError {
  override readonly name = 'HistoryNotLoadedError';
  constructor(message: string) {
    super('history-not-loaded', message);
  }
}

/**
 * Changes a peer asked for are not on this replica: it started from a snapshot, which holds
 * the state those changes made but not the changes. A replica with the full history (the
 * server) can send them, or the peer can start from a snapshot too.
 */
export class HistoryUnavailableError extends WeftError {
  override readonly name = 'HistoryUnavailableError';
  constructor(message: string) {
    super('history-unavailable', message);
  }
}

/** A malformed query (bad where, orderBy, limit, cursor) or index spec. Says what to write. */
export class QueryError extends WeftError {
  override readonly name = 'QueryError';
  constructor(message: string) {
    super('invalid-query', message);
  }
}

/** A problem a validator found, as the Standard Schema spec reports it. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** A write that the collection's schema refused. Nothing was written. */
export class SchemaValidationError extends WeftError {
  override readonly name = 'SchemaValidationError';
  constructor(
    readonly collection: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    const described = issues.map((i) => {
      const path = (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      return path ? `field "${path}": ${i.message}` : i.message;
    });
    super('schema', `${collection}: invalid document: ${described.join('; ')}`);
  }
}

export class NotFoundError extends WeftError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('not-found', message);
  }
}

export class AlreadyExistsError extends WeftError {
  override readonly name = 'AlreadyExistsError';
  constructor(message: string) {
    super('already-exists', message);
  }
}

/** The storage adapter failed. Writes after this fail too: reopen the database. */
export class StorageFailedError extends WeftError {
  override readonly name = 'StorageFailedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('storage', message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export class ClosedError extends WeftError {
  override readonly name = 'ClosedError';
  constructor(message: string) {
    super('closed', message);
  }
}

/** A sync peer broke the protocol (unknown version, malformed or unexpected message). */
export class ProtocolError extends WeftError {
  override readonly name = 'ProtocolError';
  constructor(message: string) {
    super('protocol', message);
  }
}

/** An internal invariant broke: a bug in Weft, never the caller's input. */
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(`Weft internal error: ${message}`);
}

export function unexpectedCase(value: never): never {
  throw new Error(`Weft internal error: unexpected case ${String(value)}`);
}
